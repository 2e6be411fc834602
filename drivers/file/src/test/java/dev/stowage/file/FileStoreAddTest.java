package dev.stowage.file;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ErrorCode;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.InvalidImageIdException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.WriteDeniedException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.stowage.file.TestStores.add;
import static dev.stowage.file.TestStores.bytes;
import static dev.stowage.file.TestStores.entries;
import static dev.stowage.file.TestStores.read;
import static dev.stowage.file.TestStores.temps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Adds: results, atomic writes, failures that leave nothing behind, exclusive create under a race. */
class FileStoreAddTest {
    @TempDir
    Path dir;

    @Test
    void addReturnsLocationSizeAndDigestsAndTheFileHoldsTheBytes() throws Exception {
        byte[] data = bytes(200_000, 1);
        try (FileStore store = TestStores.open(dir)) {
            AddResult result = store.add("image-1", new ByteArrayInputStream(data), data.length,
                    AddOptions.defaults().withHashAlgorithm(HashAlgorithm.SHA256));

            Path file = dir.toRealPath().resolve("image-1");
            assertThat(result.location().uri().toString()).isEqualTo("file://" + file);
            assertThat(result.location().store()).isEqualTo("images");
            assertThat(result.bytesWritten()).isEqualTo(data.length);
            assertThat(result.md5()).isEqualTo(hex("MD5", data));
            assertThat(result.multihash().algorithm()).isEqualTo(HashAlgorithm.SHA256);
            assertThat(result.multihash().hex()).isEqualTo(hex("SHA-256", data));
            assertThat(Files.readAllBytes(file)).isEqualTo(data);
            assertThat(read(store.get(result.location(), ByteRange.all()))).isEqualTo(data);
            assertThat(entries(dir)).containsExactly("image-1");
        }
    }

    @Test
    void roundTripsAtChunkBoundariesWithKnownAndUnknownSize() throws Exception {
        int chunk = 4096;
        try (FileStore store = TestStores.open(dir, "chunk-size", "4KiB")) {
            for (int size : new int[] {0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk}) {
                byte[] data = bytes(size, size);
                AddResult known = add(store, "known-" + size, data);
                AddResult unknown = store.add("unknown-" + size, new ByteArrayInputStream(data), Store.UNKNOWN_SIZE,
                        AddOptions.defaults());
                assertThat(known.bytesWritten()).isEqualTo(size);
                assertThat(unknown.bytesWritten()).isEqualTo(size);
                assertThat(unknown.multihash()).isEqualTo(known.multihash());
                assertThat(read(store.get(known.location(), ByteRange.all()))).isEqualTo(data);
                assertThat(read(store.get(unknown.location(), ByteRange.all()))).isEqualTo(data);
            }
            assertThat(temps(store.directories())).isEmpty();
        }
    }

    @Test
    void invalidImageIdsAreRejectedBeforeAnythingIsWritten() throws Exception {
        try (FileStore store = TestStores.open(dir)) {
            for (String id : new String[] {"", "..", "../escape", "a/b", ".hidden", "nul\u0000", "x".repeat(201)}) {
                assertThatThrownBy(() -> add(store, id, new byte[] {1}))
                        .as("id %s", id)
                        .isInstanceOf(InvalidImageIdException.class)
                        .hasMessageStartingWith("Cannot use image id ");
            }
            assertThat(entries(dir)).isEmpty();
            assertThat(entries(dir.getParent())).doesNotContain("escape");
        }
    }

    @Test
    void aShortOrLongStreamFailsWithASizeErrorAndLeavesNothing() throws Exception {
        byte[] data = bytes(10_000, 2);
        try (FileStore store = TestStores.open(dir)) {
            assertThatThrownBy(() -> store.add("short", new ByteArrayInputStream(data), data.length + 1,
                    AddOptions.defaults()))
                    .isInstanceOf(SizeMismatchException.class)
                    .hasMessage("Cannot add " + FileStore.uri(dir.toRealPath().resolve("short"))
                            + ": the data ended after 10000 bytes, the declared size is 10001");
            assertThatThrownBy(() -> store.add("long", new ByteArrayInputStream(data), data.length - 1,
                    AddOptions.defaults()))
                    .isInstanceOf(SizeMismatchException.class)
                    .hasMessage("Cannot add " + FileStore.uri(dir.toRealPath().resolve("long"))
                            + ": the data is longer than the declared size 9999");
            assertThat(entries(dir)).isEmpty();
        }
    }

    @Test
    void inputThatThrowsAfterNBytesLeavesNeitherTheObjectNorATempFile() throws Exception {
        byte[] data = bytes(300_000, 3);
        try (FileStore store = TestStores.open(dir)) {
            for (int failAfter : new int[] {0, 1, 65_536, 100_000}) {
                String id = "broken-" + failAfter;
                assertThatThrownBy(() -> store.add(id, TestStores.failingAfter(data, failAfter), data.length,
                        AddOptions.defaults()))
                        .isInstanceOf(StoreIOException.class)
                        .hasMessage("Cannot add " + FileStore.uri(dir.toRealPath().resolve(id))
                                + ": reading the data failed after " + failAfter + " bytes: client connection reset")
                        .hasCauseInstanceOf(IOException.class);
                assertThat(entries(dir)).as("after failing at %d", failAfter).isEmpty();
            }
            // the id is free again
            assertThat(add(store, "broken-1", data).bytesWritten()).isEqualTo(data.length);
        }
    }

    @Test
    void theObjectIsInvisibleWhileBeingWrittenAndTheTempFileIsPrivate() throws Exception {
        byte[] data = bytes(100_000, 4);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position == 50_000) {
                    halfway.countDown();
                    try {
                        resume.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int end = position < 50_000 ? 50_000 : data.length;
                int n = Math.min(length, end - position);
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(data, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (FileStore store = TestStores.open(dir, "file-perm", "0644")) {
            Future<AddResult> adding = executor.submit(() -> store.add("slow", slow, data.length,
                    AddOptions.defaults()));
            assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(Files.exists(dir.resolve("slow"))).isFalse();
            List<Path> temps = temps(store.directories());
            assertThat(temps).hasSize(1);
            assertThat(temps.get(0).getFileName().toString()).startsWith(".stowage-tmp-slow-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temps.get(0))))
                    .isEqualTo("rw-------");
            // a second store opened over the same directory now must not sweep the live temp file
            try (FileStore second = TestStores.open(dir)) {
                assertThat(temps(second.directories())).isEqualTo(temps);
            }

            resume.countDown();
            AddResult result = adding.get(10, TimeUnit.SECONDS);
            assertThat(read(store.get(result.location(), ByteRange.all()))).isEqualTo(data);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("slow"))))
                    .isEqualTo("rw-r--r--");
            assertThat(entries(dir)).containsExactly("slow");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aDuplicateAddFailsAndLeavesTheExistingObjectUntouched() throws Exception {
        byte[] first = bytes(5000, 5);
        byte[] second = bytes(7000, 6);
        try (FileStore store = TestStores.open(dir)) {
            AddResult added = add(store, "dup", first);
            assertThatThrownBy(() -> add(store, "dup", second))
                    .isInstanceOf(DuplicateObjectException.class)
                    .hasMessage("Cannot add " + added.location().uri() + ": the object already exists");
            assertThat(read(store.get(added.location(), ByteRange.all()))).isEqualTo(first);
            assertThat(entries(dir)).containsExactly("dup");
        }
    }

    @Test
    void exclusiveCreateUnderARaceHasExactlyOneWinner() throws Exception {
        racingAdds(TestStores.open(dir), List.of(dir));
    }

    @Test
    void exclusiveCreateUnderARaceHasExactlyOneWinnerAcrossSeveralDirectories() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        // free space drawn at random, so racers pick different directories
        FileOps randomFree = new FileOps() {
            @Override
            public long usableSpace(java.nio.file.FileStore store, Path directory) {
                return java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 30, 1L << 31);
            }
        };
        FileStore store = TestStores.open(Map.of("datadirs", a + ":1," + b + ":1"), randomFree);
        racingAdds(store, List.of(a, b));
        assertThat(IdLocks.size()).isZero();
    }

    private static void racingAdds(FileStore store, List<Path> directories) throws Exception {
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try (store) {
            assertThat(store.capabilities()).contains(Capability.ATOMIC_CREATE);
            for (int round = 0; round < 25; round++) {
                String id = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<AddResult>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] data = bytes(20_000 + t, round * 100L + t);
                    results.add(executor.submit(() -> {
                        start.await();
                        return add(store, id, data);
                    }));
                }
                start.countDown();
                List<AddResult> winners = new ArrayList<>();
                int duplicates = 0;
                for (Future<AddResult> result : results) {
                    try {
                        winners.add(result.get(30, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(DuplicateObjectException.class);
                        duplicates++;
                    }
                }
                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(duplicates).isEqualTo(threads - 1);
                AddResult winner = winners.get(0);
                int t = (int) winner.bytesWritten() - 20_000;
                assertThat(read(store.get(winner.location(), ByteRange.all())))
                        .isEqualTo(bytes(20_000 + t, round * 100L + t));
            }
            assertThat(temps(directories)).isEmpty();
            assertThat(entries(directories.toArray(Path[]::new))).hasSize(25);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anIdAddedToAnotherDirectoryMeanwhileUndoesThisAdd() throws Exception {
        // another process (no in-JVM lock) adds the same id to the other directory while this add writes
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        FileOps otherProcess = new FileOps() {
            @Override
            public void link(Path link, Path existing) throws IOException {
                if (!TempFiles.isTemp(link)) { // not the start-up probe
                    Path other = link.getParent().equals(a.toRealPath()) ? b : a;
                    Files.write(other.resolve(link.getFileName()), new byte[] {42});
                }
                FileOps.SYSTEM.link(link, existing);
            }
        };
        try (FileStore store = TestStores.open(Map.of("datadirs", a + ":2," + b + ":1"), otherProcess)) {
            assertThatThrownBy(() -> add(store, "contested", bytes(1000, 7)))
                    .isInstanceOf(DuplicateObjectException.class)
                    .hasMessage("Cannot add " + FileStore.uri(a.toRealPath().resolve("contested"))
                            + ": the object was added to " + FileStore.uri(b.toRealPath().resolve("contested"))
                            + " at the same time");
            assertThat(entries(a)).isEmpty();
            assertThat(Files.readAllBytes(b.resolve("contested"))).containsExactly(42);
        }
    }

    @Test
    void aDiskThatFillsUpGivesStorageFullAndRemovesTheTempFile() throws Exception {
        // Fault injected through the FileOps seam: a real FileChannel that fails like the JDK does on ENOSPC.
        // RealFileSystemTest does the same on a real 1 MiB tmpfs where the machine allows mounting one.
        FileOps full = new FileOps() {
            @Override
            public FileChannel createNew(Path path, FileAttribute<?>... attributes) throws IOException {
                return new LimitedWritesChannel(FileOps.SYSTEM.createNew(path, attributes), 100_000,
                        "No space left on device");
            }
        };
        byte[] data = bytes(300_000, 8);
        try (FileStore store = TestStores.open(Map.of("datadir", dir.toString()), full)) {
            assertThatThrownBy(() -> add(store, "big", data))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessage("Cannot add " + FileStore.uri(dir.toRealPath().resolve("big"))
                            + ": writing at byte 100000 failed: No space left on device")
                    .satisfies(e -> assertThat(((StorageFullException) e).errorCode())
                            .isEqualTo(ErrorCode.STORAGE_FULL));
            assertThat(entries(dir)).isEmpty();
        }
    }

    @Test
    void aRefusedWriteGivesWriteDenied() throws Exception {
        // The seam throws what the JDK throws for EACCES; as root the kernel would not refuse (RealFileSystemTest
        // covers a read-only mount instead).
        boolean[] refuse = {false};
        FileOps denying = new FileOps() {
            @Override
            public FileChannel createNew(Path path, FileAttribute<?>... attributes) throws IOException {
                if (refuse[0]) {
                    throw new AccessDeniedException(path.toString());
                }
                return FileOps.SYSTEM.createNew(path, attributes);
            }
        };
        try (FileStore store = TestStores.open(Map.of("datadir", dir.toString()), denying)) {
            refuse[0] = true;
            assertThatThrownBy(() -> add(store, "denied", new byte[] {1, 2, 3}))
                    .isInstanceOf(WriteDeniedException.class)
                    .hasMessage("Cannot add " + FileStore.uri(dir.toRealPath().resolve("denied"))
                            + ": cannot create a temp file in " + dir.toRealPath() + ": permission denied");
            assertThat(entries(dir)).isEmpty();
        }
    }

    @Test
    void withoutWritePermissionAnAddIsWriteDenied() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")),
                "root ignores permission bits; the seam test above and RealFileSystemTest cover this as root");
        try (FileStore store = TestStores.open(dir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
            try {
                assertThatThrownBy(() -> add(store, "denied", new byte[] {1}))
                        .isInstanceOf(WriteDeniedException.class)
                        .hasMessage("Cannot add " + FileStore.uri(dir.toRealPath().resolve("denied"))
                                + ": cannot create a temp file in " + dir.toRealPath() + ": permission denied");
            } finally {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            assertThat(entries(dir)).isEmpty();
        }
    }

    @Test
    void withoutHardLinksTheStoreStillWorksButDoesNotClaimAtomicCreate() throws Exception {
        FileOps noLinks = new FileOps() {
            @Override
            public void link(Path link, Path existing) throws IOException {
                throw new java.nio.file.FileSystemException(link.toString(), existing.toString(),
                        "Operation not supported");
            }
        };
        byte[] data = bytes(3000, 9);
        try (FileStore store = TestStores.open(Map.of("datadir", dir.toString()), noLinks)) {
            assertThat(store.capabilities()).doesNotContain(Capability.ATOMIC_CREATE)
                    .contains(Capability.WRITE, Capability.READ);
            AddResult result = add(store, "plain", data);
            assertThat(read(store.get(result.location(), ByteRange.all()))).isEqualTo(data);
            assertThatThrownBy(() -> add(store, "plain", data)).isInstanceOf(DuplicateObjectException.class);
            assertThat(entries(dir)).containsExactly("plain");
        }
    }

    @Test
    void fsyncOffStillStoresTheBytes() throws Exception {
        byte[] data = bytes(70_000, 10);
        try (FileStore store = TestStores.open(dir, "fsync", "false")) {
            AddResult result = add(store, "nosync", data);
            assertThat(read(store.get(result.location(), ByteRange.all()))).isEqualTo(data);
        }
    }

    @Test
    void filePermIsAppliedAndTheDirectoryGetsTheSearchBitGlanceGivesIt() throws Exception {
        Path groupDir = Files.createDirectory(dir.resolve("group"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path otherDir = Files.createDirectory(dir.resolve("other"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (FileStore store = TestStores.open(groupDir, "file-perm", "0640")) {
            add(store, "g", new byte[] {1});
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(groupDir.resolve("g"))))
                    .isEqualTo("rw-r-----");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(groupDir))).isEqualTo("rwx--x---");
        try (FileStore store = TestStores.open(otherDir, "file-perm", "0604")) {
            add(store, "o", new byte[] {1});
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(otherDir.resolve("o"))))
                    .isEqualTo("rw----r--");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(otherDir))).isEqualTo("rwx-----x");
    }

    @Test
    void aClosedStoreRefusesEveryOperationAndCloseIsIdempotent() throws Exception {
        FileStore store = TestStores.open(dir);
        AddResult result = add(store, "kept", new byte[] {1, 2});
        store.close();
        store.close();
        String closed = "Cannot use store images: it is closed";
        assertThatThrownBy(() -> add(store, "more", new byte[] {1}))
                .isInstanceOf(StoreClosedException.class).hasMessage(closed);
        assertThatThrownBy(() -> store.get(result.location(), ByteRange.all()))
                .isInstanceOf(StoreClosedException.class).hasMessage(closed);
        assertThatThrownBy(() -> store.size(result.location()))
                .isInstanceOf(StoreClosedException.class).hasMessage(closed);
        assertThatThrownBy(() -> store.delete(result.location()))
                .isInstanceOf(StoreClosedException.class).hasMessage(closed);
        assertThatThrownBy(() -> store.location(result.location().uri()))
                .isInstanceOf(StoreClosedException.class).hasMessage(closed);
        assertThat(entries(dir)).containsExactly("kept");
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    /** Reports the given free space per directory (others: the real value). */
    static final class FreeSpace implements FileOps {
        private final Map<Path, Long> free;

        FreeSpace(Map<Path, Long> free) {
            this.free = free;
        }

        @Override
        public long usableSpace(java.nio.file.FileStore store, Path directory) throws IOException {
            for (Map.Entry<Path, Long> entry : free.entrySet()) {
                if (entry.getKey().toRealPath().equals(directory)) {
                    return entry.getValue();
                }
            }
            return FileOps.SYSTEM.usableSpace(store, directory);
        }
    }
}
