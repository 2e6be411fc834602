package dev.stowage.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body, read with blocking socket reads in the caller's thread straight into the caller's buffer: no
 * thread hand-off and no buffer per read, and memory bounded by the caller's buffer whatever the body size (rule S1).
 * Each read waits at most the read timeout for the server's next bytes and then fails with
 * {@link ReadTimeoutException}. A body that fails (the connection drops, a length-delimited body ends early) makes
 * the read throw; it never looks like a normal end. Once failed, the body keeps failing.
 *
 * <p>Closing hands the connection back to the JDK: a body read to its end returns the connection to the keep-alive
 * cache; a body closed early is abandoned without reading the rest (the JDK closes the connection, or drains in the
 * background at most {@code http.KeepAlive.remainingData}, 512 KiB, of a small body before it reuses the connection).
 * Not for concurrent use; {@link ObjectStream} makes sure close does not race a read.
 */
final class Body extends InputStream {
    private final HttpURLConnection connection;
    private final InputStream in;
    private final Duration readTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private IOException failure;

    /**
     * @param in the body as the connection gives it, or null when the answer has none
     */
    Body(HttpURLConnection connection, InputStream in, Duration readTimeout) {
        this.connection = Objects.requireNonNull(connection, "connection is null");
        this.in = in;
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout is null");
    }

    /** Signalled when the server sends nothing for the read timeout. */
    static final class ReadTimeoutException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        ReadTimeoutException(String message, Throwable cause) {
            super(message);
            initCause(cause);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (closed.get()) {
            throw new IOException("the stream is closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (length == 0) {
            return 0;
        }
        if (in == null) {
            return -1;
        }
        try {
            return in.read(target, offset, length);
        } catch (SocketTimeoutException e) {
            failure = new ReadTimeoutException("the server sent no data for " + readTimeout.toMillis()
                    + " ms (read-timeout)", e);
            throw failure;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int available() throws IOException {
        if (closed.get()) {
            throw new IOException("the stream is closed");
        }
        return in == null || failure != null ? 0 : in.available();
    }

    /** Releases the connection (see the class comment). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (in == null) {
            connection.disconnect();
            return;
        }
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
        }
    }
}
