package dev.stowage.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as a blocking {@link InputStream}, fed by the HTTP client. It keeps at most {@value #PREFETCH} lists
 * of buffers asked for ahead of the reader (the JDK client delivers one 16 KiB buffer per list, so about 256 KiB),
 * whatever the body size (rule S1); asking further ahead than one list keeps the client's socket reads going while
 * the reader copies, instead of handing every buffer from thread to thread in lock step. A read waits at most the read
 * timeout for the server's next bytes and then fails with {@link ReadTimeoutException}. A body that fails (the
 * connection drops) makes the next read throw the client's error; it never looks like a normal end. Closing cancels
 * the transfer; reads after close throw.
 */
final class StreamingBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();
    private static final Object CLOSED = new Object();
    /** Lists of buffers asked for ahead of the reader. */
    static final int PREFETCH = 16;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final long timeoutNanos;
    private final Duration timeout;
    private Flow.Subscription subscription;
    private boolean cancelled;

    // read side (one reader at a time, as for any InputStream)
    private Iterator<ByteBuffer> buffers;
    private ByteBuffer current;
    private boolean ended;
    private Throwable failure;
    private volatile boolean closed;
    private volatile boolean endedVisible;

    StreamingBody(Duration readTimeout) {
        this.timeout = readTimeout;
        this.timeoutNanos = readTimeout.toNanos();
    }

    /** Signalled when the server sends nothing for the read timeout. */
    static final class ReadTimeoutException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        ReadTimeoutException(String message) {
            super(message);
        }
    }

    // ---- subscriber side (client threads)

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancel;
        synchronized (this) {
            subscription = s;
            cancel = cancelled;
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(PREFETCH);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(this);
    }

    // ---- stream side (the caller's thread)

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, target.length);
        if (closed) {
            throw new IOException("the stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.remaining());
        current.get(target, offset, n);
        return n;
    }

    @Override
    public int available() throws IOException {
        if (closed) {
            throw new IOException("the stream is closed");
        }
        return current == null ? 0 : current.remaining();
    }

    /** Makes {@code current} hold bytes; false at the normal end of the body. */
    private boolean fill() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (buffers != null && buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (failure != null) {
                throw failed();
            }
            if (ended) {
                return false;
            }
            Object item;
            try {
                item = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting for data");
                interrupted.initCause(e);
                throw interrupted;
            }
            if (item == null) {
                cancel();
                failure = new ReadTimeoutException("the server sent no data for " + timeout.toMillis()
                        + " ms (read-timeout)");
                throw (ReadTimeoutException) failure;
            }
            if (item == END) {
                ended = true;
                endedVisible = true;
                return false;
            }
            if (item == CLOSED) {
                throw new IOException("the stream is closed");
            }
            if (item instanceof Throwable t) {
                failure = t;
                throw failed();
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> list = (List<ByteBuffer>) item;
            buffers = list.iterator();
            request();
        }
        return true;
    }

    private IOException failed() {
        if (failure instanceof IOException io) {
            return io;
        }
        return new IOException(failure.getMessage() == null ? failure.toString() : failure.getMessage(), failure);
    }

    private void request() {
        Flow.Subscription s;
        synchronized (this) {
            s = subscription;
        }
        if (s != null) {
            s.request(1);
        }
    }

    private void cancel() {
        Flow.Subscription s;
        synchronized (this) {
            cancelled = true;
            s = subscription;
        }
        if (s != null) {
            s.cancel();
        }
    }

    /** Whether every byte of the body was delivered and the body ended normally. */
    boolean ended() {
        return ended;
    }

    /** Safe from any thread: a reader blocked waiting for data wakes up and fails. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!endedVisible) {
            cancel();
        }
        queue.add(CLOSED);
    }
}
