package dev.stowage.file;

import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults for the file store, injected through its own seam ({@code FileOps}, package-private: this class lives in the
 * driver's package on the test class path). Each fault raises exactly the exception the JDK raises for the real
 * condition: {@link AccessDeniedException} for EACCES, an {@link IOException} "No space left on device" for ENOSPC on
 * a write, a {@link FileSystemException} with that reason for ENOSPC on {@code link(2)}, "Input/output error" for EIO.
 * A fault stays armed until {@link #disarm()}; {@link #fired()} counts the times one went off.
 */
public final class FileFaults {
    /** Where and how the store's file operations fail. */
    public enum Kind {
        /** Creating the temp file is refused (EACCES). */
        CREATE_DENIED,
        /** Writes fail with ENOSPC once {@code after} bytes were written to the temp file. */
        WRITE_FULL,
        /** Writes fail with EIO once {@code after} bytes were written. */
        WRITE_IO,
        /** Forcing the temp file to the device fails with EIO (only with fsync on). */
        FORCE_IO,
        /** Linking the finished temp file to its final name is refused (EACCES). */
        LINK_DENIED,
        /** Linking fails with ENOSPC (no room for the directory entry). */
        LINK_FULL
    }

    private volatile Kind kind;
    private volatile long after;
    private final AtomicInteger fired = new AtomicInteger();

    private final FileOps ops = new FileOps() {
        @Override
        public FileChannel createNew(Path path, FileAttribute<?>... attributes) throws IOException {
            Kind armed = kind;
            if (armed == Kind.CREATE_DENIED) {
                fired.incrementAndGet();
                throw new AccessDeniedException(path.toString());
            }
            FileChannel channel = FileOps.super.createNew(path, attributes);
            return armed == null ? channel : new FaultyChannel(channel, armed, after, fired);
        }

        @Override
        public void link(Path link, Path existing) throws IOException {
            Kind armed = kind;
            if (armed == Kind.LINK_DENIED) {
                fired.incrementAndGet();
                throw new AccessDeniedException(link.toString());
            }
            if (armed == Kind.LINK_FULL) {
                fired.incrementAndGet();
                throw new FileSystemException(link.toString(), existing.toString(), "No space left on device");
            }
            FileOps.super.link(link, existing);
        }
    };

    /** A file store whose file operations go through these faults. Open it disarmed: start-up probes write too. */
    public Store open(StoreConfig config) {
        return FileStoreDriver.create(config, ops);
    }

    public void arm(Kind kind, long after) {
        this.after = after;
        this.kind = kind;
    }

    public void disarm() {
        this.kind = null;
    }

    public int fired() {
        return fired.get();
    }

    /** A real channel whose writes or force fail as armed. */
    private static final class FaultyChannel extends LimitedWritesChannel {
        private final Kind kind;
        private final AtomicInteger fired;

        FaultyChannel(FileChannel delegate, Kind kind, long capacity, AtomicInteger fired) {
            super(delegate, kind == Kind.WRITE_FULL || kind == Kind.WRITE_IO ? capacity : Long.MAX_VALUE,
                    kind == Kind.WRITE_FULL ? "No space left on device" : "Input/output error");
            this.kind = kind;
            this.fired = fired;
        }

        @Override
        protected void refusing() {
            fired.incrementAndGet();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (kind == Kind.FORCE_IO) {
                fired.incrementAndGet();
                throw new IOException("Input/output error");
            }
            super.force(metaData);
        }
    }
}
