package dev.stowage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import static java.util.Objects.requireNonNull;

/**
 * The bytes of one part (or of a whole small object), held in chunks of 256 KiB rather than one large array: no
 * multi-megabyte allocation the collector must find contiguous room for (G1 treats objects of half a region or more,
 * 512 KiB in a small heap, as humongous and gives each whole regions), no copying when a buffer of unknown size grows,
 * and full chunks go back to a {@link Pool} for the next part. Not thread-safe: filled by the adding thread,
 * then only read (by the SDK, possibly several times when it retries) until {@link #release()}.
 */
final class PartBuffer {
    static final int CHUNK_SIZE = 256 * 1024;

    private final Pool pool;
    private final List<byte[]> chunks = new ArrayList<>();
    private int lastUsed;
    private long length;

    PartBuffer(Pool pool) {
        this.pool = requireNonNull(pool, "pool is null");
    }

    /**
     * Appends data from {@code reader} until the buffer holds {@code limit} bytes or the data ends, and returns the
     * number of bytes appended. The first chunk is {@code firstChunk} bytes at most (small objects stay small).
     */
    long fill(PartReader reader, long limit, int firstChunk) throws IOException {
        long start = length;
        while (length < limit) {
            byte[] chunk;
            if (!chunks.isEmpty() && lastUsed < chunks.get(chunks.size() - 1).length) {
                chunk = chunks.get(chunks.size() - 1);
            } else {
                int size = (int) Math.min(chunks.isEmpty() ? Math.min(firstChunk, CHUNK_SIZE) : CHUNK_SIZE,
                        limit - length);
                chunk = pool.take(size);
                chunks.add(chunk);
                lastUsed = 0;
            }
            int wanted = (int) Math.min(chunk.length - lastUsed, limit - length);
            int n = reader.fill(chunk, lastUsed, lastUsed + wanted);
            lastUsed += n;
            length += n;
            if (n < wanted) {
                break;
            }
        }
        return length - start;
    }

    long length() {
        return length;
    }

    /** A fresh stream over the bytes (each call starts at the first byte). */
    InputStream stream() {
        return new Reader();
    }

    /** Gives the chunks back to the pool; the buffer is empty afterwards. */
    void release() {
        chunks.forEach(pool::give);
        chunks.clear();
        lastUsed = 0;
        length = 0;
    }

    /** Full-size chunks kept for reuse by the parts of one add (at most {@code capacity} of them). */
    static final class Pool {
        private final BlockingQueue<byte[]> free;

        Pool(int capacity) {
            this.free = new ArrayBlockingQueue<>(Math.max(1, capacity));
        }

        byte[] take(int size) {
            if (size == CHUNK_SIZE) {
                byte[] chunk = free.poll();
                if (chunk != null) {
                    return chunk;
                }
            }
            return new byte[size];
        }

        void give(byte[] chunk) {
            if (chunk.length == CHUNK_SIZE) {
                free.offer(chunk);
            }
        }
    }

    private final class Reader extends InputStream {
        private int chunk;
        private int offset;
        private long remaining = length;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int off, int count) {
            Objects.checkFromIndexSize(off, count, buffer.length);
            if (count == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            byte[] current = chunks.get(chunk);
            int inChunk = chunk == chunks.size() - 1 ? lastUsed : current.length;
            int n = (int) Math.min(Math.min(count, inChunk - offset), remaining);
            System.arraycopy(current, offset, buffer, off, n);
            offset += n;
            remaining -= n;
            if (offset == inChunk) {
                chunk++;
                offset = 0;
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, remaining);
        }
    }
}
