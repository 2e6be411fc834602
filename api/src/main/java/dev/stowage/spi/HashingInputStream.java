package dev.stowage.spi;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Multihash;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Computes the legacy MD5 and a multihash of every byte read through it, and counts them (rule S2). Drivers wrap the
 * caller's data in this (usually around a {@link SizeEnforcingInputStream}) and read the digests once the data is
 * consumed. Marks are not supported. Not thread-safe (one thread reads it).
 *
 * <p>On a machine with more than one processor the two digests run on two threads once more than
 * {@value #INLINE_BYTES} bytes have passed: the reading thread updates the multihash, and the MD5 of the bytes read
 * is computed on a shared pool of daemon threads ({@code stowage-digest-N}, at most one per processor, idle ones end
 * after 30 s) from a copy, in blocks of {@value #BLOCK_SIZE} bytes. At most two blocks per stream exist (one being
 * filled, one being hashed), and a block is handed over only once the previous one is hashed, so the MD5 sees the
 * bytes in order. When every pool thread is busy the reading thread computes the MD5 itself. Smaller inputs, and
 * every input on one processor, are hashed on the reading thread alone.
 */
public final class HashingInputStream extends FilterInputStream {
    /** Bytes hashed on the reading thread alone before the MD5 moves to a second thread. */
    static final int INLINE_BYTES = 1 << 20;
    /** Bytes per block handed to the second thread. */
    static final int BLOCK_SIZE = 256 << 10;

    private final MessageDigest md5;
    private final MessageDigest multihash;
    private final HashAlgorithm algorithm;
    private final boolean parallel;
    private long count;
    // the MD5 hand-off (parallel mode, after INLINE_BYTES): bytes are copied into 'block'; a full block goes to the
    // pool while the other one is filled
    private byte[] block;
    private byte[] spare;
    private int filled;
    private Future<?> pending;
    private final byte[] oneByte = new byte[1];

    public HashingInputStream(InputStream in, HashAlgorithm algorithm) {
        this(in, algorithm, Runtime.getRuntime().availableProcessors() > 1);
    }

    /** With {@code parallel} false the MD5 stays on the reading thread whatever the input (for tests). */
    HashingInputStream(InputStream in, HashAlgorithm algorithm, boolean parallel) {
        super(requireNonNull(in, "in is null"));
        this.algorithm = requireNonNull(algorithm, "algorithm is null");
        this.md5 = newMd5();
        this.multihash = algorithm.newDigest();
        this.parallel = parallel;
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks MD5", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            oneByte[0] = (byte) b;
            update(oneByte, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            update(buffer, offset, n);
        }
        return n;
    }

    private void update(byte[] bytes, int offset, int length) {
        multihash.update(bytes, offset, length);
        int inline = 0;
        if (block == null) {
            inline = parallel ? (int) Math.min(length, Math.max(0, INLINE_BYTES - count)) : length;
            md5.update(bytes, offset, inline);
            if (inline < length) {
                block = new byte[BLOCK_SIZE];
                spare = new byte[BLOCK_SIZE];
            }
        }
        count += length;
        int from = offset + inline;
        int left = length - inline;
        while (left > 0) {
            int n = Math.min(left, block.length - filled);
            System.arraycopy(bytes, from, block, filled, n);
            filled += n;
            from += n;
            left -= n;
            if (filled == block.length) {
                handOver();
            }
        }
    }

    /** Sends the full block to the pool once the previous one is hashed, and continues in the other block. */
    private void handOver() {
        awaitPending();
        byte[] full = block;
        int length = filled;
        pending = Pool.EXECUTOR.submit(() -> md5.update(full, 0, length));
        block = spare;
        spare = full;
        filled = 0;
    }

    /** Waits for the block in the pool (a bounded wait: one block of MD5), keeping the interrupt for the caller. */
    private void awaitPending() {
        if (pending == null) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    pending.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("MD5 of a block failed", e.getCause());
                }
            }
        } finally {
            pending = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Brings the MD5 up to every byte read so far. */
    private void catchUp() {
        awaitPending();
        if (filled > 0) {
            md5.update(block, 0, filled);
            filled = 0;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes must be hashed too, so read them
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

    /** Closes the wrapped stream; a block still in the pool is waited for, so no work outlives the stream. */
    @Override
    public void close() throws IOException {
        try {
            awaitPending();
        } finally {
            super.close();
        }
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** Hex MD5 of the bytes read so far (the digest is not reset; reading may go on). */
    public String md5Hex() {
        catchUp();
        return HexFormat.of().formatHex(clone(md5).digest());
    }

    /** Multihash of the bytes read so far (the digest is not reset; reading may go on). */
    public Multihash multihash() {
        return Multihash.of(algorithm, clone(multihash).digest());
    }

    private static MessageDigest clone(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("digest " + digest.getAlgorithm() + " cannot be cloned", e);
        }
    }

    /** Blocks the pool's threads have hashed since start-up (not those a full pool left to the reading thread). */
    static long blocksHashedByThePool() {
        return Pool.EXECUTOR.getCompletedTaskCount();
    }

    /** The shared digest threads: none while idle, at most one per processor; a full pool runs work in the caller. */
    private static final class Pool {
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(0,
                Math.max(1, Runtime.getRuntime().availableProcessors()), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DaemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "stowage-digest-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }
    }
}
