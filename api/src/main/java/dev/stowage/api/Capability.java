package dev.stowage.api;

/**
 * What a store can do (rule S11). An operation whose capability a store does not declare fails with
 * {@link OperationNotSupportedException} naming that capability, never with another error.
 */
public enum Capability {
    /** Whole-object reads with {@code get} and {@code size}. */
    READ,
    /** Reads of a byte range other than the whole object. */
    RANGE_READ,
    /** {@code add}. */
    WRITE,
    /** {@code delete}. */
    DELETE,
    /** Exclusive create is atomic under a race (no check-then-write window). */
    ATOMIC_CREATE,
    /** Locations name a local file that clients may copy directly (see the file store's metadata). */
    DIRECT_ACCESS,
    /** {@code transferTo} moves bytes without copying them through the Java heap. */
    ZERO_COPY_TRANSFER
}
