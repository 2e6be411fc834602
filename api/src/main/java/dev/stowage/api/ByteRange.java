package dev.stowage.api;

/**
 * A range of bytes to read (rule S6): the whole object, {@code [offset, offset + length)}, or the tail from
 * {@code offset}. Offsets and lengths are never negative; {@link #within(long, String)} checks the range against an
 * object's size.
 */
public record ByteRange(long offset, long length) {
    /** The length of a range that runs to the end of the object. */
    public static final long TO_END = -1;

    private static final ByteRange ALL = new ByteRange(0, TO_END);

    public ByteRange {
        if (offset < 0) {
            throw new InvalidRangeException("Cannot read range: offset " + offset + " is negative");
        }
        if (length < 0 && length != TO_END) {
            throw new InvalidRangeException("Cannot read range: length " + length + " is negative");
        }
        if (length != TO_END && offset + length < 0) {
            throw new InvalidRangeException("Cannot read range: offset " + offset + " + length " + length
                    + " overflows");
        }
    }

    /** The whole object. */
    public static ByteRange all() {
        return ALL;
    }

    /** {@code length} bytes from {@code offset}. */
    public static ByteRange of(long offset, long length) {
        return new ByteRange(offset, length);
    }

    /** Everything from {@code offset} to the end. */
    public static ByteRange from(long offset) {
        return new ByteRange(offset, TO_END);
    }

    /** Whether this is the whole object. */
    public boolean isAll() {
        return offset == 0 && length == TO_END;
    }

    /** Whether the range runs to the end of the object. */
    public boolean toEnd() {
        return length == TO_END;
    }

    /**
     * The number of bytes this range covers in an object of {@code size} bytes.
     *
     * @throws InvalidRangeException when the range starts after the end or, with a length, ends after it; an offset
     *                               equal to the size gives 0 (an empty read at the end)
     */
    public long within(long size, String location) {
        if (offset > size) {
            throw new InvalidRangeException("Cannot read " + location + ": range " + this
                    + " starts after the end of the object (" + size + " bytes)");
        }
        if (length == TO_END) {
            return size - offset;
        }
        if (offset + length > size) {
            throw new InvalidRangeException("Cannot read " + location + ": range " + this
                    + " ends after the end of the object (" + size + " bytes)");
        }
        return length;
    }

    @Override
    public String toString() {
        return length == TO_END ? "[" + offset + ", end)" : "[" + offset + ", " + (offset + length) + ")";
    }
}
