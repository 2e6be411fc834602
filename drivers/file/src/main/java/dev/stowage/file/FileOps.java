package dev.stowage.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.EnumSet;

/**
 * The file operations whose failures the store must survive, behind a seam so that tests can make them fail the way
 * the JDK does (a full disk, a refused write, a file system without hard links) when the machine cannot. The store
 * uses {@link #SYSTEM}; nothing else implements this outside tests.
 */
interface FileOps {
    FileOps SYSTEM = new FileOps() {
    };

    /** Creates {@code path}, which must not exist, and opens it for writing. */
    default FileChannel createNew(Path path, FileAttribute<?>... attributes) throws IOException {
        return FileChannel.open(path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes);
    }

    /**
     * Makes {@code link} a new name of {@code existing}: atomic, and fails with
     * {@link java.nio.file.FileAlreadyExistsException} when {@code link} exists (POSIX {@code link(2)}).
     */
    default void link(Path link, Path existing) throws IOException {
        Files.createLink(link, existing);
    }

    /**
     * Bytes this process may still write in data directory {@code directory}, whose file system is {@code store}
     * (null when the JDK could not find it; then {@code statvfs} on the path answers).
     */
    default long usableSpace(FileStore store, Path directory) throws IOException {
        return store != null ? store.getUsableSpace() : directory.toFile().getUsableSpace();
    }
}
