package dev.stowage.file;

import java.io.InputStream;

/**
 * A deterministic pseudo-random byte stream of a given size that holds nothing in memory: byte {@code p} is a pure
 * function of the seed and {@code p}, so any range can be regenerated to check what a store returns.
 */
final class PatternStream extends InputStream {
    private final long seed;
    private final long size;
    private long position;

    PatternStream(long seed, long size) {
        this.seed = seed;
        this.size = size;
    }

    /** Writes the bytes {@code [position, position + length)} of the pattern into {@code buffer}. */
    static void fill(long seed, long position, byte[] buffer, int offset, int length) {
        long block = -1;
        long value = 0;
        for (int i = 0; i < length; i++) {
            long p = position + i;
            if ((p >>> 3) != block) {
                block = p >>> 3;
                value = mix(seed ^ block);
            }
            buffer[offset + i] = (byte) (value >>> ((p & 7) * 8));
        }
    }

    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        fill(seed, position, buffer, offset, n);
        position += n;
        return n;
    }
}
