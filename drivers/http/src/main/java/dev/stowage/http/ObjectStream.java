package dev.stowage.http;

import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreIOException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The stream {@code get} returns: delivers exactly the bytes asked for out of a response body, and fails loudly when
 * the body ends early (never a short successful read). Transport failures surface as Stowage errors naming the
 * location. Closing releases the connection; closing twice is harmless; reads after close throw.
 */
final class ObjectStream extends InputStream {
    /** What an early end of the body means. */
    enum ShortBody {
        /** The server promised more bytes (Content-Length or Content-Range): the transfer was cut. */
        TRUNCATED,
        /** The object's size is unknown: the range runs past the end of the object. */
        PAST_END
    }

    private final StreamingBody body;
    private final String action;
    private final long deliver;
    private final ShortBody shortBody;
    private final long offset;
    private final Runnable onClose;
    private long delivered;
    private boolean closed;
    private volatile boolean aborted;

    /**
     * @param deliver   the number of bytes to deliver, or -1 for everything up to the end of the body
     * @param offset    the object offset of the first byte, for messages
     */
    ObjectStream(StreamingBody body, String action, long deliver, ShortBody shortBody, long offset,
                 Runnable onClose) {
        this.body = Objects.requireNonNull(body, "body is null");
        this.action = Objects.requireNonNull(action, "action is null");
        this.deliver = deliver;
        this.shortBody = Objects.requireNonNull(shortBody, "shortBody is null");
        this.offset = offset;
        this.onClose = Objects.requireNonNull(onClose, "onClose is null");
        if (deliver == 0) {
            body.close();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int off, int length) throws IOException {
        Objects.checkFromIndexSize(off, length, target.length);
        if (closed) {
            throw new IOException("Cannot " + action + ": the stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        long remaining = deliver < 0 ? Long.MAX_VALUE : deliver - delivered;
        if (remaining == 0) {
            return -1;
        }
        int n;
        try {
            n = body.read(target, off, (int) Math.min(length, remaining));
        } catch (IOException e) {
            if (aborted) {
                throw new StoreClosedException("Cannot " + action + ": the store was closed", e);
            }
            throw HttpErrors.forBody(action, e, delivered);
        }
        if (n < 0) {
            if (deliver >= 0) {
                throw shortBody == ShortBody.TRUNCATED
                        ? new StoreIOException("Cannot " + action + ": the body ended after " + delivered + " of "
                        + deliver + " bytes; the connection was cut")
                        : new InvalidRangeException("Cannot " + action + ": the range ends after the end of the"
                        + " object (" + (offset + delivered) + " bytes)");
            }
            return -1;
        }
        delivered += n;
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
        if (closed) {
            throw new IOException("Cannot " + action + ": the stream is closed");
        }
        long remaining = deliver < 0 ? Long.MAX_VALUE : deliver - delivered;
        return remaining == 0 ? 0 : (int) Math.min(remaining, body.available());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        body.close();
        onClose.run();
    }

    /** Closes from another thread (the store is closing): the body wakes any blocked reader. */
    void abort() {
        aborted = true;
        body.close();
    }
}
