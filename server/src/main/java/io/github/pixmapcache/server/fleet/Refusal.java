package io.github.pixmapcache.server.fleet;

import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Tells a refusal (Redis or its certificate said no: a wrong password, a missing ACL rule, a
 * certificate that is not trusted or names another host) from an outage (Redis down, slow, hung),
 * which fixes itself. A refusal needs an operator, so it is counted apart and said once in the log.
 */
final class Refusal {

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("://[^@/\\s]*@");
    private Refusal() {
    }

    /**
     * What refused, in Redis's or the TLS stack's own words (which never hold a password), or empty
     * when {@code failure} is not a refusal.
     */
    static Optional<String> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // Lettuce prints a URI's password as one asterisk per character: not even its length is shown here.
            String message = USER_INFO.matcher(String.valueOf(cause.getMessage()).replace('\n', ' ')).replaceAll("://****@");
            if (cause instanceof io.lettuce.core.RedisException
                    && (message.contains("NOPERM") || message.startsWith("WRONGPASS") || message.startsWith("NOAUTH"))) {
                return Optional.of(message);
            }
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                return Optional.of("TLS: " + message);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }
}
