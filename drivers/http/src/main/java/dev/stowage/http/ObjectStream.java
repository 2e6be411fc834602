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
 * location. Closing releases the connection without reading the rest of the body; closing twice is harmless; reads
 * after close throw.
 *
 * <p>Reads block in the caller's thread. {@link #close()} and {@link #abort()} may come from another thread: when no
 * read is under way they release the connection at once; otherwise the read under way releases it as soon as its
 * socket read returns (with data, or after the read timeout) and then fails, so that releasing never waits for, or
 * races with, a read.
 */
final class ObjectStream extends InputStream {
    /** What an early end of the body means. */
    enum ShortBody {
        /** The server promised more bytes (Content-Length or Content-Range): the transfer was cut. */
        TRUNCATED,
        /** The object's size is unknown: the range runs past the end of the object. */
        PAST_END
    }

    private final Body body;
    private final String action;
    private final long deliver;
    private final ShortBody shortBody;
    private final long offset;
    private final Runnable onClose;
    private long delivered;

    /** Guards the three flags below. */
    private final Object lock = new Object();
    private boolean reading;
    private boolean closed;
    private boolean aborted;

    /**
     * @param deliver   the number of bytes to deliver, or -1 for everything up to the end of the body
     * @param offset    the object offset of the first byte, for messages
     */
    ObjectStream(Body body, String action, long deliver, ShortBody shortBody, long offset, Runnable onClose) {
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
        synchronized (lock) {
            checkUsable(null);
            if (length == 0) {
                return 0;
            }
            if (deliver >= 0 && deliver == delivered) {
                return -1;
            }
            reading = true;
        }
        long remaining = deliver < 0 ? Long.MAX_VALUE : deliver - delivered;
        int n = 0;
        IOException failure = null;
        try {
            n = body.read(target, off, (int) Math.min(length, remaining));
        } catch (IOException e) {
            failure = e;
        } finally {
            boolean release;
            synchronized (lock) {
                reading = false;
                release = closed || aborted;
            }
            if (release) {
                body.close();
            }
        }
        synchronized (lock) {
            checkUsable(failure);
        }
        if (failure != null) {
            throw HttpErrors.forBody(action, failure, delivered);
        }
        if (n < 0) {
            if (deliver >= 0) {
                throw shortBody == ShortBody.TRUNCATED
                        ? new StoreIOException("Cannot " + action + ": the body ended after " + delivered
                        + " bytes of the " + deliver + " expected; the connection was cut")
                        : new InvalidRangeException("Cannot " + action + ": the range ends after the end of the"
                        + " object (" + (offset + delivered) + " bytes)");
            }
            return -1;
        }
        delivered += n;
        return n;
    }

    /** Fails when the store closed the stream, or the caller did (the store first: it says more). */
    private void checkUsable(IOException cause) throws IOException {
        if (aborted) {
            throw new StoreClosedException("Cannot " + action + ": the store was closed", cause);
        }
        if (closed) {
            throw new IOException("Cannot " + action + ": the stream is closed", cause);
        }
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
        synchronized (lock) {
            checkUsable(null);
            if (reading) {
                return 0;
            }
        }
        long remaining = deliver < 0 ? Long.MAX_VALUE : deliver - delivered;
        return remaining == 0 ? 0 : (int) Math.min(remaining, body.available());
    }

    @Override
    public void close() {
        boolean now;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            now = !reading;
        }
        if (now) {
            body.close();
        }
        onClose.run();
    }

    /** Closes for the store (it is closing), from any thread; later reads throw {@link StoreClosedException}. */
    void abort() {
        boolean now;
        synchronized (lock) {
            aborted = true;
            now = !reading;
        }
        if (now) {
            body.close();
        }
    }
}
