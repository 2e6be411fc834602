package dev.stowage.api;

/**
 * Hears each attempt of a failover read ({@link Stores#open}). Called on the reading thread; every method does nothing
 * by default. An exception thrown by a listener is logged and otherwise ignored: it never breaks the read.
 */
public interface ReadListener {
    /** A listener that does nothing. */
    ReadListener NONE = new ReadListener() {
    };

    /** An attempt begins: the location is about to be opened at {@code attempt.offset()}. */
    default void started(ReadAttempt attempt) {
    }

    /**
     * An attempt failed, before the first byte or during the read.
     *
     * @param reached the offset delivered to the caller when it failed (the next attempt starts there)
     */
    default void failed(ReadAttempt attempt, long reached, StoreException error) {
    }

    /**
     * An attempt read to the end of the object.
     *
     * @param end the total number of bytes delivered
     */
    default void succeeded(ReadAttempt attempt, long end) {
    }
}
