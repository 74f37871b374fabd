package io.github.pixmapcache.bench;

import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Each benchmark thread's position in the shared {@link ZipfKeys} sequence; threads start at random
 * positions so that they do not ask for the same keys in lockstep.
 */
@State(Scope.Thread)
public class KeyCursor {
    private int position = ThreadLocalRandom.current().nextInt();

    /** The next position; it wraps, which {@link ZipfKeys#at(int)} allows. */
    public int next() {
        return position++;
    }
}
