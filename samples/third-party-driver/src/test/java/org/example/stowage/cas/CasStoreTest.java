package org.example.stowage.cas;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreIOException;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CasStoreTest {
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private static final AddOptions SHA256 = AddOptions.defaults().withHashAlgorithm(HashAlgorithm.SHA256);

    @TempDir
    Path root;

    private final List<Store> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(Store::close);
    }

    private Store open(Map<String, String> options) {
        CasStoreDriver driver = new CasStoreDriver();
        Map<String, String> raw = new HashMap<>(options);
        raw.put("root", root.toString());
        Store store = driver.create(StoreConfig.of("images", driver.options(), raw));
        opened.add(store);
        return store;
    }

    private Store open() {
        return open(Map.of());
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static AddResult add(Store store, String id, byte[] data) {
        return store.add(id, new ByteArrayInputStream(data), data.length, AddOptions.defaults());
    }

    private static byte[] read(Store store, Location location, ByteRange range) throws IOException {
        try (InputStream in = store.get(location, range)) {
            return in.readAllBytes();
        }
    }

    private List<Path> files(String dir) throws IOException {
        try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static int links(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void addReturnsTheDigestsAndALocationNamingTheContent() throws IOException {
        Store store = open();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);

        AddResult result = store.add("img-1", new ByteArrayInputStream(hello), Store.UNKNOWN_SIZE, SHA256);

        assertThat(result.bytesWritten()).isEqualTo(5);
        assertThat(result.md5()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(result.multihash().toString()).isEqualTo("sha256:" + HELLO_SHA256);
        assertThat(result.location().uri()).isEqualTo(URI.create("cas://images/img-1"));
        assertThat(result.location().store()).isEqualTo("images");
        assertThat(store.location(result.location().uri())).isEqualTo(result.location());
        assertThat(read(store, result.location(), ByteRange.all())).isEqualTo(hello);
        assertThat(store.size(result.location())).isEqualTo(5);
        assertThat(root.resolve("blobs/sha256/2c/" + HELLO_SHA256)).hasBinaryContent(hello);
        assertThat(Files.isSameFile(root.resolve("refs/img-1/sha256-" + HELLO_SHA256),
                root.resolve("blobs/sha256/2c/" + HELLO_SHA256))).isTrue();
    }

    @Test
    void equalContentIsStoredOnceAndOutlivesAllButTheLastImage() throws IOException {
        Store store = open();
        byte[] data = random(100_000, 1);

        Location first = add(store, "first", data).location();
        Location second = add(store, "second", data).location();

        assertThat(files("blobs")).hasSize(1);
        Path blob = files("blobs").get(0);
        assertThat(links(blob)).as("index entry + two images").isEqualTo(3);
        assertThat(Files.isSameFile(blob, root.resolve("refs/first/sha512-" + blob.getFileName()))).isTrue();

        store.delete(first);
        assertThat(read(store, second, ByteRange.all())).isEqualTo(data);
        assertThat(links(blob)).isEqualTo(2);

        store.delete(second);
        assertThat(blob).doesNotExist();
        assertThat(files("refs")).isEmpty();
        assertThat(((CasStore) store).leftovers()).isEmpty();
    }

    @Test
    void aShortStreamFailsAndLeavesNothing() throws IOException {
        Store store = open();

        assertThatThrownBy(() -> store.add("img", new ByteArrayInputStream(new byte[10]), 11, AddOptions.defaults()))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot add cas://images/img: the data ended after 10 bytes, the declared size is 11");
        assertThat(((CasStore) store).leftovers()).isEmpty();
        assertThat(files("refs")).isEmpty();
    }

    @Test
    void aStreamThatBreaksHalfWayFailsAndLeavesNothing() throws IOException {
        Store store = open();
        InputStream breaking = new SequenceInputStream(new ByteArrayInputStream(random(200_000, 2)),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });

        assertThatThrownBy(() -> store.add("img", breaking, Store.UNKNOWN_SIZE, AddOptions.defaults()))
                .isInstanceOf(StoreIOException.class)
                .hasMessage("Cannot add cas://images/img: reading the data failed: connection reset");
        assertThat(((CasStore) store).leftovers()).isEmpty();
        assertThat(files("refs")).isEmpty();
    }

    @Test
    void aDuplicateKeepsTheExistingImage() throws IOException {
        Store store = open();
        byte[] original = random(1000, 3);
        Location location = add(store, "img", original).location();

        assertThatThrownBy(() -> add(store, "img", random(1000, 4)))
                .isInstanceOf(DuplicateObjectException.class)
                .hasMessage("Cannot add cas://images/img: the image already exists");
        assertThat(read(store, location, ByteRange.all())).isEqualTo(original);
        assertThat(((CasStore) store).leftovers()).isEmpty();
    }

    @Test
    void ofWritersRacingForOneIdExactlyOneWinsAndLosersLeaveNoContentBehind() throws Exception {
        Store store = open();
        int writers = 8;
        CyclicBarrier allPastTheFirstCheck = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<AddResult>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] data = random(50_000, 100 + i);
                // every writer has passed the existence check before any of them writes: the link decides
                InputStream gated = new SequenceInputStream(new InputStream() {
                    @Override
                    public int read() throws IOException {
                        try {
                            allPastTheFirstCheck.await(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IOException(e);
                        }
                        return -1;
                    }
                }, new ByteArrayInputStream(data));
                results.add(pool.submit(() -> store.add("contested", gated, data.length, AddOptions.defaults())));
            }
            List<AddResult> winners = new ArrayList<>();
            List<Throwable> losers = new ArrayList<>();
            for (Future<AddResult> result : results) {
                try {
                    winners.add(result.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    losers.add(e.getCause());
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(losers).hasSize(writers - 1).allSatisfy(error -> assertThat(error)
                    .isInstanceOf(DuplicateObjectException.class)
                    .hasMessage("Cannot add cas://images/contested: the image already exists"));
            AddResult winner = winners.get(0);
            byte[] stored = read(store, winner.location(), ByteRange.all());
            assertThat(dev.stowage.api.Multihash.of(HashAlgorithm.SHA512,
                    HashAlgorithm.SHA512.newDigest().digest(stored))).isEqualTo(winner.multihash());
            assertThat(files("blobs")).as("only the winner's content is kept").hasSize(1);
            assertThat(((CasStore) store).leftovers()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anImageIsInvisibleUntilItsAddReturns() throws Exception {
        Store store = open();
        byte[] data = random(200_000, 12);
        java.util.concurrent.CountDownLatch halfWay = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
        InputStream pausing = new SequenceInputStream(new ByteArrayInputStream(data, 0, 100_000), new InputStream() {
            private final InputStream rest = new ByteArrayInputStream(data, 100_000, 100_000);
            private boolean paused;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!paused) {
                    paused = true;
                    halfWay.countDown();
                    try {
                        goOn.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                return rest.read(b, off, len);
            }
        });
        Location probe = store.location(URI.create("cas://images/pending"));
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<AddResult> adding = writer.submit(() -> store.add("pending", pausing, data.length,
                    AddOptions.defaults()));
            assertThat(halfWay.await(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> store.size(probe)).isInstanceOf(ObjectNotFoundException.class);
            assertThatThrownBy(() -> store.get(probe, ByteRange.all())).isInstanceOf(ObjectNotFoundException.class);
            assertThat(files("refs")).isEmpty();
            assertThat(files("tmp")).as("the data goes to a temporary file").hasSize(1);

            goOn.countDown();
            AddResult result = adding.get(30, TimeUnit.SECONDS);
            assertThat(read(store, result.location(), ByteRange.all())).isEqualTo(data);
            assertThat(files("tmp")).isEmpty();
        } finally {
            goOn.countDown();
            writer.shutdownNow();
        }
    }

    @Test
    void concurrentAddsAndDeletesOfTheSameContentNeverLoseAnImage() throws Exception {
        Store store = open(Map.of("fsync", "false"));
        byte[] data = random(4096, 5);
        int threads = 4;
        int rounds = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        Location location = add(store, "t" + thread + "-" + round, data).location();
                        assertThat(read(store, location, ByteRange.all())).isEqualTo(data);
                        store.delete(location);
                    }
                    return rounds;
                }));
            }
            for (Future<Integer> future : done) {
                assertThat(future.get(120, TimeUnit.SECONDS)).isEqualTo(rounds);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(files("refs")).isEmpty();
        assertThat(files("blobs")).as("the last delete removes the shared content").isEmpty();
        assertThat(((CasStore) store).leftovers()).isEmpty();
    }

    @Test
    void anAddKeepsItsOwnCopyWhenTheSharedCopyVanishesUnderIt() throws Exception {
        Store store = open(Map.of("fsync", "false"));
        byte[] data = random(512, 13);
        String hex = java.util.HexFormat.of().formatHex(HashAlgorithm.SHA512.newDigest().digest(data));
        Path shared = root.resolve("blobs/sha512/" + hex.substring(0, 2) + "/" + hex);
        java.util.concurrent.atomic.AtomicBoolean adding = new java.util.concurrent.atomic.AtomicBoolean(true);
        // harsher than any delete: removes the indexed copy the moment it appears, whatever links to it
        Thread remover = new Thread(() -> {
            while (adding.get()) {
                shared.toFile().delete();
            }
        });
        remover.start();
        List<Location> locations = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                locations.add(add(store, "img-" + i, data).location());
            }
        } finally {
            adding.set(false);
            remover.join();
        }
        for (Location location : locations) {
            assertThat(read(store, location, ByteRange.all())).isEqualTo(data);
        }
        assertThat(((CasStore) store).leftovers()).isEmpty();
        for (Location location : locations) {
            store.delete(location);
        }
        assertThat(files("refs")).isEmpty();
        assertThat(files("blobs")).isEmpty();
    }

    @Test
    void openingTidiesStaleTempFilesAndUnusedContentButKeepsFreshOnesAndImages() throws IOException {
        Location kept = add(open(), "kept", random(100, 6)).location();
        Path stale = Files.writeString(root.resolve("tmp/add-1.part"), "interrupted");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
        Path fresh = Files.writeString(root.resolve("tmp/add-2.part"), "in progress elsewhere");
        Path unused = root.resolve("blobs/sha512/ab/ab" + "0".repeat(126));
        Files.createDirectories(unused.getParent());
        Files.writeString(unused, "content of an image whose delete was interrupted");

        Store reopened = open();

        assertThat(stale).doesNotExist();
        assertThat(unused).doesNotExist();
        assertThat(fresh).exists();
        assertThat(((CasStore) reopened).leftovers()).containsExactly("tmp/add-2.part");
        assertThat(reopened.size(kept)).isEqualTo(100);
    }

    @Test
    void aReadOnlyStoreReadsAndRefusesWritesAsUnsupported() throws IOException {
        byte[] data = random(300, 7);
        Location location = add(open(), "img", data).location();

        Store store = open(Map.of("read-only", "true"));

        assertThat(store.capabilities()).containsExactlyInAnyOrder(Capability.READ, Capability.RANGE_READ,
                Capability.ZERO_COPY_TRANSFER);
        assertThat(read(store, location, ByteRange.of(10, 20))).isEqualTo(java.util.Arrays.copyOfRange(data, 10, 30));
        assertThatThrownBy(() -> add(store, "other", data))
                .isInstanceOfSatisfying(OperationNotSupportedException.class,
                        e -> assertThat(e.capability()).isEqualTo(Capability.WRITE))
                .hasMessage("Cannot add image 'other' to store images: the store is read-only");
        assertThatThrownBy(() -> store.delete(location))
                .isInstanceOfSatisfying(OperationNotSupportedException.class,
                        e -> assertThat(e.capability()).isEqualTo(Capability.DELETE))
                .hasMessage("Cannot delete " + location.uri() + ": store images is read-only");
        assertThat(store.size(location)).isEqualTo(300);
    }

    @Test
    void rangesReadExactlyTheBytesAskedFor() throws IOException {
        Store store = open();
        byte[] data = random(70_000, 8);
        Location location = add(store, "img", data).location();

        assertThat(read(store, location, ByteRange.of(0, 1))).containsExactly(data[0]);
        assertThat(read(store, location, ByteRange.of(65_536, 100)))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 65_536, 65_636));
        assertThat(read(store, location, ByteRange.from(69_990))).isEqualTo(java.util.Arrays.copyOfRange(data,
                69_990, 70_000));
        assertThat(read(store, location, ByteRange.from(70_000))).isEmpty();
        assertThatThrownBy(() -> store.get(location, ByteRange.of(69_999, 2)))
                .isInstanceOf(dev.stowage.api.InvalidRangeException.class)
                .hasMessage("Cannot read " + location.uri() + ": range [69999, 70001) ends after the end of the "
                        + "object (70000 bytes)");
    }

    @Test
    void aClosedStreamThrowsAndClosesTwiceHarmlessly() throws IOException {
        Store store = open();
        Location location = add(store, "img", random(10, 9)).location();
        InputStream in = store.get(location, ByteRange.all());
        in.close();
        in.close();

        assertThatThrownBy(in::read)
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot read " + location.uri() + ": the stream is closed");
    }

    @Test
    void transferToCopiesTheWholeObjectIntoAChannel() throws IOException {
        Store store = open();
        byte[] data = random(300_000, 10);
        Location location = add(store, "img", data).location();
        Path target = root.resolveSibling(root.getFileName() + "-copy");
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertThat(store.transferTo(location, out)).isEqualTo(300_000);
        }
        assertThat(target).hasBinaryContent(data);
        Files.delete(target);
    }

    @Test
    void missingObjectsAreNotFoundNamingTheLocation() {
        Store store = open();
        Location location = store.location(URI.create("cas://images/gone"));

        assertThatThrownBy(() -> store.get(location, ByteRange.all()))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("Cannot read " + location.uri() + ": no such object");
        assertThatThrownBy(() -> store.size(location))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("Cannot read " + location.uri() + ": no such object");
        assertThatThrownBy(() -> store.delete(location))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("Cannot delete " + location.uri() + ": no such object");
    }

    @Test
    void aSymbolicLinkPlantedUnderRefsIsNotFollowed() throws IOException {
        Store store = open();
        Path outside = Files.writeString(root.resolveSibling(root.getFileName() + "-secret"), "outside the store");
        try {
            Files.createSymbolicLink(root.resolve("refs/planted"), outside);
            Location location = store.location(URI.create("cas://images/planted"));

            assertThatThrownBy(() -> read(store, location, ByteRange.all()))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessage("Cannot read " + location.uri() + ": refs/planted is not a directory; the store under "
                            + root + " is damaged");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void locationsOfAnotherCasStoreAreRejected() {
        Store store = open();

        assertThatThrownBy(() -> store.location(URI.create("cas://backup/img")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location cas://backup/img"
                        + ": it belongs to cas store 'backup', this store is 'images'");
    }

    @Test
    void aClosedStoreRefusesEveryOperationAndClosesTwiceHarmlessly() {
        Store store = open();
        Location location = add(store, "img", random(10, 11)).location();
        store.close();
        store.close();

        assertThatThrownBy(() -> add(store, "other", new byte[1]))
                .isInstanceOf(StoreClosedException.class).hasMessage("Cannot use store images: it is closed");
        assertThatThrownBy(() -> store.get(location, ByteRange.all()))
                .isInstanceOf(StoreClosedException.class).hasMessage("Cannot use store images: it is closed");
        assertThatThrownBy(() -> store.location(location.uri()))
                .isInstanceOf(StoreClosedException.class).hasMessage("Cannot use store images: it is closed");
        assertThatThrownBy(() -> store.delete(location))
                .isInstanceOf(StoreClosedException.class).hasMessage("Cannot use store images: it is closed");
    }
}
