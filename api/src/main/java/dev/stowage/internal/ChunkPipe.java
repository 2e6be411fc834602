package dev.stowage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * A bounded hand-over of byte chunks from one producer thread to one consumer thread, read by the consumer as an
 * {@link InputStream}. Fan-out adds use one pipe per store: the producer reads the caller's data once and puts each
 * chunk into every pipe; chunks are shared between pipes and never changed after they are put.
 *
 * <p>Memory is bounded: a pipe holds at most {@code capacity} chunks, and {@link #put} blocks while it is full. Either
 * side can stop without leaving the other stuck: {@link #detach()} (the consumer is done or failed) drops what is
 * queued and makes every later {@code put} return {@code false} at once; {@link #fail(IOException)} (the producer's
 * input failed, or the add was cancelled) makes the consumer's next read throw. Not part of the public API.
 */
public final class ChunkPipe {
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final Source source = new Source();
    private boolean ended;
    private boolean detached;
    private IOException failure;
    private int highWater;

    /** A slice {@code [0, length)} of a byte array that nobody writes to any more. */
    public record Chunk(byte[] bytes, int length) {
        public Chunk {
            requireNonNull(bytes, "bytes is null");
            Objects.checkFromIndexSize(0, length, bytes.length);
        }
    }

    public ChunkPipe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Queues a chunk, waiting while the pipe is full.
     *
     * @return {@code false} when the consumer has detached or the pipe has failed: the chunk was dropped and later
     * chunks need not be offered
     */
    public boolean put(Chunk chunk) throws InterruptedException {
        requireNonNull(chunk, "chunk is null");
        lock.lockInterruptibly();
        try {
            if (ended) {
                throw new IllegalStateException("put after end");
            }
            while (queue.size() >= capacity && !detached && failure == null) {
                changed.await();
            }
            if (detached || failure != null) {
                return false;
            }
            queue.addLast(chunk);
            highWater = Math.max(highWater, queue.size());
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** No more chunks: the consumer reads what is queued, then the end of the stream. */
    public void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails the pipe: queued chunks are dropped and the consumer's next read throws an {@link IOException} caused by
     * {@code error}. Does nothing when the pipe already failed.
     */
    public void fail(IOException error) {
        requireNonNull(error, "error is null");
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
                queue.clear();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The consumer is done (finished or failed): drops queued chunks and releases a waiting producer. */
    public void detach() {
        lock.lock();
        try {
            detached = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether chunks are still wanted (not detached and not failed). */
    public boolean accepting() {
        lock.lock();
        try {
            return !detached && failure == null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #fail} was called. */
    public boolean failed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** The most chunks that were ever queued at once (never more than the capacity). */
    public int highWater() {
        lock.lock();
        try {
            return highWater;
        } finally {
            lock.unlock();
        }
    }

    /** The capacity in chunks. */
    public int capacity() {
        return capacity;
    }

    /** The consumer's side. Closing it does nothing; the consumer's owner calls {@link #detach()}. */
    public InputStream source() {
        return source;
    }

    private Chunk take() throws IOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for data");
        }
        try {
            while (queue.isEmpty() && !ended && failure == null && !detached) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for data");
                }
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            if (detached) {
                throw new IOException("the pipe was detached");
            }
            Chunk chunk = queue.pollFirst();
            if (chunk != null) {
                changed.signalAll();
            }
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    private final class Source extends InputStream {
        private Chunk current;
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, buffer.length);
            if (length == 0) {
                return 0;
            }
            while (current == null || position == current.length()) {
                current = take();
                position = 0;
                if (current == null) {
                    return -1;
                }
            }
            int n = Math.min(length, current.length() - position);
            System.arraycopy(current.bytes(), position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.length() - position;
        }
    }
}
