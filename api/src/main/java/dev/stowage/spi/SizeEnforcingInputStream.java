package dev.stowage.spi;

import dev.stowage.api.SizeMismatchException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import static java.util.Objects.requireNonNull;

/**
 * Enforces a declared size (rule S3): delivers at most {@code expectedSize} bytes and throws
 * {@link SizeMismatchException} when the source ends early or has more bytes than declared. The excess is detected by
 * reading one byte past the declared size before reporting the end. With {@link dev.stowage.spi.Store#UNKNOWN_SIZE}
 * it only passes bytes through. The message names {@code what} (e.g. the image id or location).
 */
public final class SizeEnforcingInputStream extends FilterInputStream {
    private final long expectedSize;
    private final String what;
    private long count;
    private boolean ended;

    public SizeEnforcingInputStream(InputStream in, long expectedSize, String what) {
        super(requireNonNull(in, "in is null"));
        if (expectedSize < 0 && expectedSize != Store.UNKNOWN_SIZE) {
            throw new IllegalArgumentException("expectedSize is negative: " + expectedSize);
        }
        this.expectedSize = expectedSize;
        this.what = requireNonNull(what, "what is null");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        if (expectedSize == Store.UNKNOWN_SIZE) {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            } else if (n < 0) {
                ended = true;
            }
            return n;
        }
        long remaining = expectedSize - count;
        if (remaining == 0) {
            if (in.read() >= 0) {
                throw new SizeMismatchException("Cannot add " + what + ": the data is longer than the declared size "
                        + expectedSize);
            }
            ended = true;
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new SizeMismatchException("Cannot add " + what + ": the data ended after " + count
                    + " bytes, the declared size is " + expectedSize);
        }
        count += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 0))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return expectedSize == Store.UNKNOWN_SIZE ? in.available()
                : (int) Math.min(in.available(), expectedSize - count);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Bytes delivered so far. */
    public long count() {
        return count;
    }
}
