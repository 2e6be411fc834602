package dev.stowage.s3;

import dev.stowage.api.StoreIOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The bytes of one GET (rule S6). Closing it before the end aborts the HTTP exchange instead of downloading the rest;
 * closing twice is harmless; reading after close fails. A connection that ends or fails before the announced length
 * is a {@link StoreIOException} (the HTTP client's exception kept as the cause), never a silent short read. A length of -1 means the server did not announce one: the stream then ends where
 * the response does.
 */
final class ObjectStream extends InputStream {
    private final ResponseInputStream<?> in;
    private final String location;
    private final long length;
    private long position;
    private boolean ended;
    private boolean closed;

    ObjectStream(ResponseInputStream<?> in, String location, long length) {
        this.in = requireNonNull(in, "in is null");
        this.location = requireNonNull(location, "location is null");
        this.length = length;
        this.ended = length == 0;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        checkOpen();
        Objects.checkFromIndexSize(offset, count, buffer.length);
        if (count == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        int n;
        try {
            n = in.read(buffer, offset, length < 0 ? count : (int) Math.min(count, length - position));
        } catch (IOException | SdkException e) {
            // the HTTP client's own exception (a connection cut mid-body) is translated here, at the driver edge
            throw new StoreIOException("Cannot read " + location + ": the connection failed after " + position
                    + (length >= 0 ? " of " + length : "") + " bytes: " + e.getMessage(), e);
        }
        if (n < 0) {
            if (length >= 0) {
                throw new StoreIOException("Cannot read " + location + ": the connection ended after " + position
                        + " of " + length + " bytes");
            }
            ended = true;
            return -1;
        }
        position += n;
        if (position == length) {
            ended = true;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        checkOpen();
        if (n <= 0 || ended) {
            return 0;
        }
        long skipped;
        try {
            skipped = in.skip(length < 0 ? n : Math.min(n, length - position));
        } catch (IOException | SdkException e) {
            throw new StoreIOException("Cannot read " + location + ": the connection failed after " + position
                    + (length >= 0 ? " of " + length : "") + " bytes: " + e.getMessage(), e);
        }
        position += skipped;
        if (position == length) {
            ended = true;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        checkOpen();
        return ended ? 0 : length < 0 ? in.available() : (int) Math.min(in.available(), length - position);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!ended) {
            // do not drain the rest of a large object just to reuse the connection
            in.abort();
        }
        in.close();
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("Cannot read " + location + ": the stream is closed");
        }
    }
}
