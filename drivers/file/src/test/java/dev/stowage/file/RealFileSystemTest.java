package dev.stowage.file;

import dev.stowage.api.AddOptions;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.WriteDeniedException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.stowage.file.TestStores.add;
import static dev.stowage.file.TestStores.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The failures of FileStoreAddTest, this time from the kernel: a 1 MiB tmpfs that fills up (ENOSPC) and a tmpfs
 * remounted read-only (EROFS). Mounting needs root (or CAP_SYS_ADMIN); where {@code mount} fails the tests are skipped
 * with the reason, and the seam-based tests still cover the translation.
 */
class RealFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void aFullFileSystemGivesStorageFullAndLeavesNoTempFile() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("small"), "1m")) {
            try (FileStore store = TestStores.open(tmpfs.path)) {
                byte[] data = TestStores.bytes(2 << 20, 1);
                // unknown size: the free-space check cannot refuse up front, the kernel refuses mid-write
                assertThatThrownBy(() -> store.add("too-big", new ByteArrayInputStream(data), Store.UNKNOWN_SIZE,
                        AddOptions.defaults()))
                        .isInstanceOf(StorageFullException.class)
                        .hasMessageStartingWith("Cannot add " + FileStore.uri(tmpfs.path.toRealPath().resolve("too-big"))
                                + ": writing at byte ")
                        .hasMessageEndingWith(" failed: No space left on device");
                assertThat(entries(tmpfs.path)).isEmpty();

                // declared size: refused before reading anything
                assertThatThrownBy(() -> add(store, "declared", data))
                        .isInstanceOf(StorageFullException.class)
                        .hasMessageStartingWith("Cannot add image 'declared' to store images: no data directory has"
                                + " room for 2097152 bytes: " + tmpfs.path.toRealPath() + " (");

                // the space of the failed add was given back
                assertThat(add(store, "small", TestStores.bytes(512 << 10, 2)).bytesWritten()).isEqualTo(512 << 10);
                assertThat(entries(tmpfs.path)).containsExactly("small");
            }
        }
    }

    @Test
    void aReadOnlyFileSystemGivesWriteDeniedAndCannotBeOpened() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("ro"), "1m")) {
            try (FileStore store = TestStores.open(tmpfs.path)) {
                tmpfs.remount("ro");
                assertThatThrownBy(() -> add(store, "refused", new byte[] {1}))
                        .isInstanceOf(WriteDeniedException.class)
                        .hasMessage("Cannot add " + FileStore.uri(tmpfs.path.toRealPath().resolve("refused"))
                                + ": cannot create a temp file in " + tmpfs.path.toRealPath()
                                + ": Read-only file system");
            }
            assertThatThrownBy(() -> TestStores.open(tmpfs.path))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Cannot configure store images: data directory " + tmpfs.path.toRealPath()
                            + " (option '" + TestStores.PREFIX + "datadir') is not writable: Read-only file system");
            tmpfs.remount("rw");
        }
    }

    /** A tmpfs mounted for one test. */
    static final class Tmpfs implements AutoCloseable {
        final Path path;

        private Tmpfs(Path path) {
            this.path = path;
        }

        static Tmpfs mount(Path path, String size) throws Exception {
            java.nio.file.Files.createDirectories(path);
            String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path.toString());
            assumeTrue(failure == null, () -> "cannot mount a tmpfs here: " + failure);
            return new Tmpfs(path);
        }

        void remount(String mode) throws Exception {
            String failure = run("mount", "-o", "remount," + mode, path.toString());
            assertThat(failure).as("remount %s", mode).isNull();
        }

        @Override
        public void close() throws Exception {
            String failure = run("umount", path.toString());
            assertThat(failure).as("umount").isNull();
        }

        /** Runs a command; null when it succeeded, else what it said. */
        private static String run(String... command) throws InterruptedException {
            try {
                Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return String.join(" ", command) + " timed out";
                }
                return process.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + process.exitValue()
                        + ": " + output;
            } catch (IOException e) {
                return String.join(" ", command) + ": " + e.getMessage();
            }
        }
    }
}
