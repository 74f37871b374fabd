package io.github.pixmapcache.server.fleet;

/**
 * A call the tier did not make: the breaker is open or Redis is not connected yet. Thrown on the hot
 * path of a dead Redis, so it carries no stack trace.
 */
final class TierUnavailableException extends RuntimeException {

    TierUnavailableException(String why) {
        super(why, null, false, false);
    }
}
