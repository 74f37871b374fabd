package io.github.pixmapcache;

/**
 * A source of time for expiry and idle trimming, in nanoseconds from an arbitrary origin (as
 * {@link System#nanoTime()}); only differences between its readings count. Tests pass their own,
 * advanced by hand, so that they need no sleeps.
 */
@FunctionalInterface
public interface Ticker {
    /** {@return the current time in nanoseconds; never smaller than an earlier reading} */
    long read();

    /** {@return the ticker of {@link System#nanoTime()}, the default} */
    static Ticker system() {
        return System::nanoTime;
    }
}
