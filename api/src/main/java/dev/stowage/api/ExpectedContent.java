package dev.stowage.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What a failover read ({@link Stores#open}) checks at the end of the data: the size, the multihash, both or neither.
 * A registry knows both from the add ({@link AddResult#bytesWritten()}, {@link AddResult#multihash()}).
 */
public final class ExpectedContent {
    private static final ExpectedContent UNKNOWN = new ExpectedContent(-1, null);

    private final long size;
    private final Multihash multihash;

    private ExpectedContent(long size, Multihash multihash) {
        this.size = size;
        this.multihash = multihash;
    }

    /** Nothing is known: nothing is checked. */
    public static ExpectedContent unknown() {
        return UNKNOWN;
    }

    /** The size and the multihash are checked. */
    public static ExpectedContent of(long size, Multihash multihash) {
        return new ExpectedContent(checkSize(size), requireNonNull(multihash, "multihash is null"));
    }

    /** Only the size is checked. */
    public static ExpectedContent ofSize(long size) {
        return new ExpectedContent(checkSize(size), null);
    }

    /** Only the multihash is checked. */
    public static ExpectedContent ofMultihash(Multihash multihash) {
        return new ExpectedContent(-1, requireNonNull(multihash, "multihash is null"));
    }

    /** What an add returned: its size and multihash. */
    public static ExpectedContent of(AddResult result) {
        requireNonNull(result, "result is null");
        return of(result.bytesWritten(), result.multihash());
    }

    private static long checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        return size;
    }

    /** The expected size in bytes, if known. */
    public OptionalLong size() {
        return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
    }

    /** The expected multihash, if known. */
    public Optional<Multihash> multihash() {
        return Optional.ofNullable(multihash);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExpectedContent that && size == that.size && Objects.equals(multihash, that.multihash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, multihash);
    }

    @Override
    public String toString() {
        return "ExpectedContent[size=" + (size < 0 ? "unknown" : String.valueOf(size)) + ", multihash="
                + (multihash == null ? "unknown" : multihash.toString()) + "]";
    }
}
