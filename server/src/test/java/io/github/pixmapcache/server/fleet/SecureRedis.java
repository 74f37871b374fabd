package io.github.pixmapcache.server.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server as a fleet should run it: TLS only, clients must show a certificate of the test CA,
 * the {@code default} user behind a password (the test's admin), and the tier's ACL user limited to
 * exactly the rules docs/fleet.md gives ({@link #FLEET_RULES}), plus one user missing a rule.
 */
public final class SecureRedis {

    /** The tier's user, whose rules are exactly {@link #FLEET_RULES}. */
    public static final String FLEET_USER = "pxc-fleet";
    /** The tier's user without {@code +eval}: it can read and write tiles but not take a render lock. */
    public static final String NO_EVAL_USER = "pxc-no-eval";
    /** Both users' password; distinctive, so that a search of the server's output for it cannot match by chance. */
    public static final String FLEET_PASSWORD = "Fl33t-s3cret-9d2c7e";
    /** The {@code default} user's password, for the test's own redis-cli calls. */
    public static final String ADMIN_PASSWORD = "Adm1n-s3cret-5b81aa";

    /**
     * The ACL rules the fleet tier needs with key prefix {@code pxc}, in docs/fleet.md word for word:
     * no channels, no command but these, no key outside the prefix.
     */
    public static final List<String> FLEET_RULES = List.of("resetchannels", "~pxc:*", "-@all", "+get", "+mget", "+set",
            "+incr", "+exists", "+eval", "+pexpire", "+del", "+ping", "+cluster|nodes", "+cluster|myid", "+info", "+client|setname");

    private SecureRedis() {
    }

    /** How to start a redis-server with the certificate {@code certificate} (see {@link TestCertificates#redisServerArgs}). */
    public static RedisProcess.Launch launch(TestCertificates certs, String certificate) {
        List<String> args = new ArrayList<>(certs.redisServerArgs(certificate));
        args.addAll(List.of("--requirepass", ADMIN_PASSWORD));
        args.addAll(user(FLEET_USER, FLEET_RULES));
        args.addAll(user(NO_EVAL_USER, FLEET_RULES.stream().filter(rule -> !rule.equals("+eval")).toList()));
        List<String> cli = new ArrayList<>(certs.redisCliArgs());
        cli.addAll(List.of("-a", ADMIN_PASSWORD, "--no-auth-warning"));
        return new RedisProcess.Launch(args, cli, true);
    }

    private static List<String> user(String name, List<String> rules) {
        List<String> args = new ArrayList<>(List.of("--user", name, "on", ">" + FLEET_PASSWORD));
        args.addAll(rules);
        return args;
    }
}
