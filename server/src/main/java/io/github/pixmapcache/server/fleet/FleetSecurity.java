package io.github.pixmapcache.server.fleet;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who the fleet tier says it is to Redis, and how it checks that Redis is Redis: an ACL user and
 * password ({@code AUTH user pass}, Redis 6+), and TLS with a trust store and, for mutual TLS, a key
 * store. Its {@code toString()} shows no secret: {@link Secret} prints {@code ****}.
 *
 * @param username           the ACL user, or null for Redis's {@code default} user
 * @param password           the user's password, or null to send no {@code AUTH}
 * @param tls                whether every connection is TLS ({@code rediss://}); never falls back to plain text
 * @param trustStore         the CAs Redis's certificate must chain to: a PEM file of certificates or a
 *                           PKCS#12/JKS store; null for the JDK's own CAs
 * @param trustStorePassword the trust store's password, or null (PEM, or a store without one)
 * @param keyStore           this server's certificate and key for mutual TLS, a PKCS#12 store; or null
 * @param keyStorePassword   the key store's password, or null
 * @param verifyHostname     whether Redis's certificate must name the host connected to (true unless told otherwise)
 */
public record FleetSecurity(String username, Secret password, boolean tls, Path trustStore, Secret trustStorePassword,
                            Path keyStore, Secret keyStorePassword, boolean verifyHostname) {

    /** No AUTH, no TLS: what a Redis on a trusted network without users needs. */
    public static final FleetSecurity NONE = new FleetSecurity(null, null, false, null, null, null, null, true);

    /**
     * Checks that the settings belong together and that the stores can be read.
     *
     * @throws IllegalArgumentException naming the setting (never a secret) that does not fit
     */
    public FleetSecurity {
        if (username != null && (username.isEmpty() || !username.matches("[!-~]+"))) {
            throw new IllegalArgumentException("Redis user \"" + username + "\" is not printable ASCII without spaces");
        }
        if (username != null && password == null) {
            throw new IllegalArgumentException("Redis user " + username + " has no password (TILES_REDIS_PASSWORD or --redis-password-file)");
        }
        if (!tls && (trustStore != null || keyStore != null)) {
            throw new IllegalArgumentException("a trust store or key store is given but the Redis connection is not TLS: use rediss://");
        }
        if (!tls && !verifyHostname) {
            throw new IllegalArgumentException("hostname verification is turned off but the Redis connection is not TLS: use rediss://");
        }
        if (trustStorePassword != null && trustStore == null) {
            throw new IllegalArgumentException("a trust store password is given without a trust store (--redis-trust-store)");
        }
        if (keyStorePassword != null && keyStore == null) {
            throw new IllegalArgumentException("a key store password is given without a key store (--redis-key-store)");
        }
        readable("trust store", trustStore);
        readable("key store", keyStore);
    }

    /**
     * This with TLS on or off.
     *
     * @param on whether to use TLS
     * @return a copy with {@code tls} set
     */
    public FleetSecurity withTls(boolean on) {
        return new FleetSecurity(username, password, on, trustStore, trustStorePassword, keyStore, keyStorePassword, verifyHostname);
    }

    /**
     * This with an ACL user and password.
     *
     * @param user   the ACL user, or null for {@code default}
     * @param secret the password
     * @return a copy with the credentials set
     */
    public FleetSecurity withCredentials(String user, Secret secret) {
        return new FleetSecurity(user, secret, tls, trustStore, trustStorePassword, keyStore, keyStorePassword, verifyHostname);
    }

    private static void readable(String what, Path file) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new IllegalArgumentException("the Redis " + what + " " + file + " is not a readable file");
        }
    }
}
