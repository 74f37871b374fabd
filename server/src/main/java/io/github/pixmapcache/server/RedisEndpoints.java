package io.github.pixmapcache.server;

import io.github.pixmapcache.server.fleet.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code --redis} and {@code --redis-cluster}: the endpoint without credentials, and the
 * credentials a URI held ({@code redis://user:pass@host:port}, or {@code redis://pass@host:port} as
 * Lettuce reads it) apart, so that no later message, log line or {@code toString()} shows them.
 */
final class RedisEndpoints {

    /** {@code scheme://userinfo@}: what {@link #redact} hides. */
    private static final Pattern USER_INFO = Pattern.compile("(://)[^@/]*@");

    /** A URI's user (null for Redis's default user) and password (null for none). */
    record Credentials(String username, Secret password) {
        static final Credentials NONE = new Credentials(null, null);
    }

    /** {@code --redis}: the URI without credentials, and the credentials it held. */
    record Standalone(URI uri, Credentials credentials) {}

    /** {@code --redis-cluster}: {@code host:port} seeds, TLS if they were {@code rediss://}, and the credentials they held. */
    record Cluster(List<String> seeds, boolean tls, Credentials credentials) {}

    private RedisEndpoints() {
    }

    /** {@code text} with any {@code user:password@} of a URI replaced by {@code ****@}, for messages. */
    static String redact(String text) {
        return USER_INFO.matcher(text).replaceAll("$1****@");
    }

    static Standalone standalone(String text) {
        URI uri = parse(text);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in the Redis URI");
        }
        try {
            URI bare = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment());
            return new Standalone(bare, credentials(uri));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a Redis URI", e);
        }
    }

    /** Seeds {@code host:port} or {@code redis[s]://[user:pass@]host:port}; all must agree on the scheme and the credentials. */
    static Cluster cluster(String text) {
        List<String> seeds = new ArrayList<>();
        String scheme = null;
        Credentials credentials = null;
        for (String part : text.split(",")) {
            String seed = part.strip();
            if (seed.isEmpty()) {
                continue;
            }
            String seedScheme = "redis";
            Credentials seedCredentials = Credentials.NONE;
            if (seed.contains("://")) {
                URI uri = parse(seed);
                if (uri.getHost() == null || uri.getPort() < 0) {
                    throw new IllegalArgumentException("cluster seed \"" + redact(seed) + "\" is not host:port");
                }
                seedScheme = uri.getScheme();
                seedCredentials = credentials(uri);
                seed = uri.getHost() + ":" + uri.getPort();
            }
            if (!seedScheme.equals("redis") && !seedScheme.equals("rediss")) {
                throw new IllegalArgumentException("cluster seed scheme " + seedScheme + " is not redis or rediss");
            }
            if (scheme != null && (!scheme.equals(seedScheme) || !credentials.equals(seedCredentials))) {
                throw new IllegalArgumentException("the cluster seeds disagree on TLS or credentials: give them once for all");
            }
            scheme = seedScheme;
            credentials = seedCredentials;
            seeds.add(seed);
        }
        return new Cluster(seeds, "rediss".equals(scheme), credentials == null ? Credentials.NONE : credentials);
    }

    private static URI parse(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI", e); // e's message would repeat the text, and a password in it
        }
    }

    private static Credentials credentials(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return Credentials.NONE;
        }
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
        String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
        return new Credentials(user == null || user.isEmpty() ? null : user, password.isEmpty() ? null : Secret.of(password));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
