package dev.stowage.file;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temp files of adds in progress: {@code .stowage-tmp-<image id>-<random>} in the data directory the object goes to
 * (so the final link never crosses file systems).
 *
 * <p>A writer holds an exclusive lock on its temp file while it writes. A temp file whose lock can be taken belongs to
 * no live writer: its process died, and {@link #sweep} removes it. Temp files of writers in this JVM are registered and
 * never touched; a file locked by another process (another node sharing the directory) is kept. Where the file system
 * has no locks, only temp files untouched for {@link #UNLOCKED_GRACE} are removed (a live writer keeps the
 * modification time fresh).
 */
final class TempFiles {
    static final String PREFIX = ".stowage-tmp-";
    static final Duration UNLOCKED_GRACE = Duration.ofHours(1);

    private static final System.Logger LOG = System.getLogger(TempFiles.class.getName());
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ATTEMPTS = 4;

    private TempFiles() {
    }

    /** Whether {@code file} is named like a temp file of this store. */
    static boolean isTemp(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().startsWith(PREFIX);
    }

    /** Creates a new, locked temp file in {@code directory} for {@code label} (the image id). */
    static TempFile create(FileOps ops, Path directory, String label, FileAttribute<?>[] attributes)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            Path path = directory.resolve(PREFIX + label + "-" + HexFormat.of().formatHex(random));
            IN_FLIGHT.add(path);
            FileChannel channel;
            try {
                channel = ops.createNew(path, attributes);
            } catch (IOException | RuntimeException e) {
                IN_FLIGHT.remove(path);
                throw e;
            }
            FileLock lock = null;
            boolean lockHeldElsewhere;
            try {
                lock = channel.tryLock();
                lockHeldElsewhere = lock == null;
            } catch (OverlappingFileLockException e) {
                lockHeldElsewhere = true;
            } catch (IOException e) {
                // the file system has no locks (some network file systems): go on unlocked
                lockHeldElsewhere = false;
                LOG.log(Level.DEBUG, () -> "No file locks in " + directory + ": " + e.getMessage());
            }
            // a sweeper of another process may have taken the lock between creation and tryLock and removed the file:
            // then this name is lost, try a fresh one
            if (!lockHeldElsewhere && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return new TempFile(path, channel, lock);
            }
            channel.close();
            IN_FLIGHT.remove(path);
            if (attempt == ATTEMPTS) {
                throw new IOException("temp file " + path + " was taken by another process " + ATTEMPTS
                        + " times in a row");
            }
        }
    }

    /**
     * Removes temp files in {@code directory} that no live writer holds. Returns how many were removed. Problems with
     * single files are logged and skipped: a sweep never stops a store from starting.
     */
    static int sweep(Path directory) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path file : entries) {
                if (IN_FLIGHT.contains(file)) {
                    continue;
                }
                try {
                    if (removeIfStale(file)) {
                        removed++;
                    }
                } catch (IOException e) {
                    LOG.log(Level.WARNING, () -> "Cannot remove stale temp file " + file + ": " + e);
                }
            }
        }
        return removed;
    }

    private static boolean removeIfStale(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!attributes.isRegularFile()) {
            LOG.log(Level.WARNING, () -> "Leaving " + file + " alone: named like a temp file but not a regular file");
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // held in this JVM
            } catch (IOException e) {
                // no locks on this file system: only old files are surely abandoned
                Instant cutoff = Instant.now().minus(UNLOCKED_GRACE);
                if (attributes.lastModifiedTime().toInstant().isAfter(cutoff)) {
                    return false;
                }
                return Files.deleteIfExists(file);
            }
            if (lock == null) {
                return false; // a live writer in another process
            }
            // delete while holding the lock: no writer can be using this file
            return Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** An open, locked temp file. {@link #close()} removes the temp name (if still there) and releases the lock. */
    static final class TempFile implements Closeable {
        private final Path path;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean closed;

        private TempFile(Path path, FileChannel channel, FileLock lock) {
            this.path = path;
            this.channel = channel;
            this.lock = lock;
        }

        Path path() {
            return path;
        }

        FileChannel channel() {
            return channel;
        }

        boolean locked() {
            return lock != null;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            IOException failure = null;
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                failure = e;
            }
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            } finally {
                IN_FLIGHT.remove(path);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
