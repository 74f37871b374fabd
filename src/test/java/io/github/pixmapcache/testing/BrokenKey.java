package io.github.pixmapcache.testing;

/**
 * A user key that breaks its contract on demand: its {@code hashCode} throws {@link Refused} while
 * {@linkplain #setThrowing throwing}, or changes while the key is cached ({@link #setHash}).
 * Equal keys are those of the same id, whatever their hash.
 */
public final class BrokenKey {
    private final int id;
    private volatile int hash;
    private volatile boolean throwing;

    public BrokenKey(int id) {
        this.id = id;
        this.hash = id;
    }

    @Override
    public int hashCode() {
        if (throwing) {
            throw new Refused();
        }
        return hash;
    }

    /** The hash it starts with. */
    public int hashCodeWhenUnbroken() {
        return id;
    }

    public void setHash(int hash) {
        this.hash = hash;
    }

    public boolean isThrowing() {
        return throwing;
    }

    public void setThrowing(boolean throwing) {
        this.throwing = throwing;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BrokenKey key && key.id == id;
    }

    @Override
    public String toString() {
        return "BrokenKey[" + id + "]";
    }

    /** What {@code hashCode} throws while the key is throwing. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super("hashCode refused");
        }
    }
}
