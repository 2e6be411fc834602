package dev.stowage.strategy;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Multihash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Hashes a file on its own thread while another thread writes it: the writer says how far the file is written
 * ({@link #advance(long)}), and the hash reads the file back up to there, so the copy and its verification overlap
 * instead of following each other. The bytes hashed are read from the file, as written, not from the writer's memory.
 * The caller closes it, which stops the thread and waits for it (also after a failure).
 */
final class FollowingHash implements AutoCloseable {
    private static final int BUFFER_SIZE = 1 << 20;

    private final FileChannel file;
    private final Path path;
    private final MessageDigest digest;
    private final HashAlgorithm algorithm;
    private final long size;
    private final Thread thread;
    // guarded by this
    private long written;
    private boolean stopped;
    private Multihash result;
    private Throwable failure;

    private FollowingHash(FileChannel file, Path path, HashAlgorithm algorithm, long size) {
        this.file = file;
        this.path = path;
        this.algorithm = algorithm;
        this.digest = algorithm.newDigest();
        this.size = size;
        this.thread = new Thread(this::run, "stowage-direct-hash");
        this.thread.setDaemon(true);
    }

    /** Starts hashing the first {@code size} bytes of {@code path} as they are written. */
    static FollowingHash start(Path path, HashAlgorithm algorithm, long size) throws IOException {
        FollowingHash hash = new FollowingHash(FileChannel.open(path, StandardOpenOption.READ), path, algorithm,
                size);
        hash.thread.start();
        return hash;
    }

    /** The file is written up to {@code position}. */
    synchronized void advance(long position) {
        written = position;
        notifyAll();
    }

    /** Waits for the hash of the whole file; the writer has advanced to the size. */
    Multihash await() throws IOException {
        join();
        synchronized (this) {
            if (failure != null) {
                throw new IOException("cannot read back " + path + " to verify it: " + failure, failure);
            }
            if (result == null) {
                throw new IOException("the verification of " + path + " stopped before the end");
            }
            return result;
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER_SIZE, Math.max(size, 1)));
        long position = 0;
        try {
            while (position < size) {
                long limit;
                synchronized (this) {
                    while (written <= position && !stopped) {
                        wait();
                    }
                    if (stopped) {
                        return;
                    }
                    limit = written;
                }
                while (position < limit) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), limit - position));
                    int read = file.read(buffer, position);
                    if (read < 0) {
                        throw new IOException("the file ended at byte " + position + " of " + limit + " written");
                    }
                    buffer.flip();
                    digest.update(buffer);
                    position += read;
                }
            }
            Multihash done = Multihash.of(algorithm, digest.digest());
            synchronized (this) {
                result = done;
            }
        } catch (InterruptedException e) {
            // only close() interrupts, and it wants the thread gone
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                failure = e;
            }
        }
    }

    /** Waits for the thread, keeping an interrupt of the caller for the caller. */
    private void join() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                synchronized (this) {
                    stopped = true;
                    notifyAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the hash (if it still runs), waits for its thread and closes its read of the file. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
        join();
        file.close();
    }
}
