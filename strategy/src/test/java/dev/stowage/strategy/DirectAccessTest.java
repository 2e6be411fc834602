package dev.stowage.strategy;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.AllLocationsFailedException;
import dev.stowage.api.ByteRange;
import dev.stowage.api.ChecksumMismatchException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ExpectedContent;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StoreIOException;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.strategy.CopyResult.Method;
import dev.stowage.strategy.CopyResult.Skipped;
import dev.stowage.testing.InMemoryStoreDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Direct access with real files: the store side exports a directory; the client reaches the same directory through a
 * different path (a symbolic link standing in for its own mount of the shared file system). The streaming side is the
 * in-memory reference store holding the same image.
 */
class DirectAccessTest {
    private static final String IMAGE_ID = "5c3f8d0e-8a9b-4e1c-9c61-2f6a4b0d7e11";
    private static final int IMAGE_SIZE = 3 * 1024 * 1024 + 12_345; // several copy and hash buffers

    @TempDir
    Path dir;

    private Path export;
    private Path clientMount;
    private Path destinations;
    private byte[] image;
    private Store memory;
    private Location fileLocation;
    private Location memoryLocation;
    private long size;
    private Multihash multihash;
    private final List<List<Location>> fallbackCalls = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The streaming read a registry would wire to Stores.open: the first location the in-memory store can read. */
    private final StreamingRead fallback = locations -> {
        fallbackCalls.add(List.copyOf(locations));
        for (Location location : locations) {
            if (location.scheme().equals("memory")) {
                return memory.get(location, ByteRange.all());
            }
        }
        throw new ObjectNotFoundException("Cannot read image: no streamable location");
    };

    @BeforeEach
    void setUp() throws IOException {
        export = Files.createDirectories(dir.resolve("fileserver/export"));
        clientMount = Files.createSymbolicLink(dir.resolve("client-mount"), export);
        destinations = Files.createDirectories(dir.resolve("downloads"));
        image = new byte[IMAGE_SIZE];
        new Random(42).nextBytes(image);
        Path stored = Files.createDirectories(export.resolve("images")).resolve(IMAGE_ID);
        Files.write(stored, image);

        InMemoryStoreDriver driver = new InMemoryStoreDriver();
        memory = driver.create(StoreConfig.of("memory", driver.options(),
                Map.of("namespace", "direct-" + UUID.randomUUID())));
        AddResult added = memory.add(IMAGE_ID, new ByteArrayInputStream(image), image.length, AddOptions.defaults());
        memoryLocation = added.location();
        size = added.bytesWritten();
        multihash = added.multihash();

        // what the file store records: the path under its mountpoint, with {id, mountpoint} metadata
        fileLocation = Location.of(stored.toUri(), "shared", Map.of("id", "nfs-1",
                "mountpoint", export + "/"));
    }

    @AfterEach
    void tearDown() {
        memory.close();
    }

    private DirectAccess access(String id) {
        return DirectAccess.create(MountTable.of(Map.of(id, clientMount)), fallback);
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(destinations)) {
            return files.toList();
        }
    }

    @Test
    void acceptance_sameDirectoryThroughAnotherPathIsCopiedDirectlyWithThePathRewrittenAndVerified()
            throws IOException {
        Path destination = destinations.resolve("image.raw");
        CopyResult result;
        try (LogCapture log = LogCapture.of(DirectAccess.class)) {
            result = access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash, destination);

            assertThat(log.messages(Level.INFO)).singleElement().asString()
                    .startsWith("copied directly from " + clientMount.resolve("images").resolve(IMAGE_ID)
                            + " (" + fileLocation.uri() + ") to " + destination);
        }

        assertThat(result.method()).isEqualTo(Method.DIRECT);
        assertThat(result.location()).contains(fileLocation);
        assertThat(result.source()).contains(clientMount.resolve("images").resolve(IMAGE_ID));
        assertThat(clientMount.resolve("images").resolve(IMAGE_ID).toString())
                .as("the client path differs from the store's").isNotEqualTo(Path.of(fileLocation.uri()).toString());
        assertThat(result.size()).isEqualTo(IMAGE_SIZE);
        assertThat(result.multihash()).isEqualTo(multihash);
        assertThat(result.skipped()).isEmpty();
        assertThat(fallbackCalls).as("nothing streamed").isEmpty();
        assertThat(Files.readAllBytes(destination)).isEqualTo(image);
        assertThat(leftovers()).containsExactly(destination);
    }

    @Test
    void acceptance_aMismatchedIdIsStreamedInstead() throws IOException {
        Path destination = destinations.resolve("image.raw");
        CopyResult result;
        try (LogCapture log = LogCapture.of(DirectAccess.class)) {
            result = access("nfs-2").copy(List.of(fileLocation, memoryLocation), size, multihash, destination);

            assertThat(log.messages(Level.INFO)).singleElement().asString()
                    .startsWith("streamed from " + fileLocation.uri() + ", " + memoryLocation.uri() + " to "
                            + destination);
        }

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        assertThat(result.location()).isEmpty();
        assertThat(result.source()).isEmpty();
        assertThat(result.skipped()).containsExactly(
                new Skipped(fileLocation, "no local mount for file system id 'nfs-1'"),
                new Skipped(memoryLocation, "not a file location"));
        assertThat(fallbackCalls).containsExactly(List.of(fileLocation, memoryLocation));
        assertThat(result.multihash()).isEqualTo(multihash);
        assertThat(Files.readAllBytes(destination)).isEqualTo(image);
        assertThat(leftovers()).containsExactly(destination);
    }

    @Test
    void copiesDirectlyIntoAChannel() throws IOException {
        Path target = destinations.resolve("channel.raw");
        CopyResult result;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            result = access("nfs-1").copy(List.of(memoryLocation, fileLocation), size, multihash, channel);
        }
        assertThat(result.method()).isEqualTo(Method.DIRECT);
        assertThat(result.skipped()).containsExactly(new Skipped(memoryLocation, "not a file location"));
        assertThat(Files.readAllBytes(target)).isEqualTo(image);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CopyResult again = access("nfs-1").copy(List.of(fileLocation), size, multihash, Channels.newChannel(bytes));
        assertThat(again.method()).isEqualTo(Method.DIRECT);
        assertThat(bytes.toByteArray()).isEqualTo(image);
        assertThat(fallbackCalls).isEmpty();
    }

    @Test
    void streamsIntoAChannelWhenNothingIsMounted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DirectAccess access = DirectAccess.create(MountTable.empty(), fallback);

        CopyResult result = access.copy(List.of(fileLocation, memoryLocation), size, multihash, Channels.newChannel(bytes));

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        assertThat(bytes.toByteArray()).isEqualTo(image);
        assertThat(fallbackCalls).hasSize(1);
    }

    @Test
    void aCorruptSharedFileIsNotUsedAndTheImageIsStreamed() throws IOException {
        byte[] corrupt = image.clone();
        corrupt[IMAGE_SIZE / 2] ^= 0x40;
        Files.write(export.resolve("images").resolve(IMAGE_ID), corrupt);
        Path destination = destinations.resolve("image.raw");

        CopyResult result = access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash, destination);

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        Multihash corruptHash = sha512(corrupt);
        assertThat(result.skipped()).first().isEqualTo(new Skipped(fileLocation, "the copy's multihash " + corruptHash
                + " is not the expected " + multihash));
        assertThat(Files.readAllBytes(destination)).isEqualTo(image);
        assertThat(leftovers()).containsExactly(destination);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CopyResult intoChannel = access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash,
                Channels.newChannel(bytes));
        assertThat(intoChannel.method()).isEqualTo(Method.STREAMED);
        assertThat(intoChannel.skipped()).first().isEqualTo(new Skipped(fileLocation, "the file's multihash "
                + corruptHash + " is not the expected " + multihash));
        assertThat(bytes.toByteArray()).as("the corrupt file never reached the channel").isEqualTo(image);
    }

    @Test
    void aSharedFileOfTheWrongSizeOrMissingIsStreamed() throws IOException {
        Path shared = export.resolve("images").resolve(IMAGE_ID);
        Path clientPath = clientMount.resolve("images").resolve(IMAGE_ID);
        Files.write(shared, Arrays.copyOf(image, 100));

        CopyResult shorter = access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash,
                destinations.resolve("a"));
        assertThat(shorter.method()).isEqualTo(Method.STREAMED);
        assertThat(shorter.skipped()).first().isEqualTo(new Skipped(fileLocation, clientPath + " has 100 bytes,"
                + " expected " + IMAGE_SIZE));

        Files.delete(shared);
        CopyResult missing = access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash,
                destinations.resolve("b"));
        assertThat(missing.method()).isEqualTo(Method.STREAMED);
        assertThat(missing.skipped().get(0).reason())
                .isEqualTo("direct copy failed: java.nio.file.NoSuchFileException: " + clientPath);
        assertThat(Files.readAllBytes(destinations.resolve("a"))).isEqualTo(image);
        assertThat(Files.readAllBytes(destinations.resolve("b"))).isEqualTo(image);
    }

    @Test
    void aSymbolicLinkLeavingTheMountIsRefused() throws IOException {
        Path outside = Files.write(dir.resolve("outside-the-share"), image);
        Path shared = export.resolve("images").resolve(IMAGE_ID);
        Files.delete(shared);
        Files.createSymbolicLink(shared, outside);

        CopyResult result = access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash,
                destinations.resolve("image.raw"));

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        assertThat(result.skipped()).first().isEqualTo(new Skipped(fileLocation,
                clientMount.resolve("images").resolve(IMAGE_ID) + " resolves to " + outside.toRealPath()
                        + ", outside the local mountpoint " + export.toRealPath()));
    }

    @Test
    void aPathLeavingTheStoreMountpointIsRefused() throws IOException {
        Files.write(dir.resolve("fileserver/secret"), image);
        Location escaping = Location.of(URI.create(export.toUri() + "../secret"), "shared",
                Map.of("id", "nfs-1", "mountpoint", export.toString()));

        CopyResult result = access("nfs-1").copy(List.of(escaping, memoryLocation), size, multihash,
                destinations.resolve("image.raw"));

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        assertThat(result.skipped()).first().isEqualTo(new Skipped(escaping, "the path "
                + dir.resolve("fileserver/secret") + " is not inside the store's mountpoint " + export));
    }

    @Test
    void triesEachMountedLocationInTurn() throws IOException {
        Location elsewhere = Location.of(URI.create("file:///srv/other/" + IMAGE_ID), "other",
                Map.of("id", "nfs-9", "mountpoint", "/srv/other"));
        Location gone = Location.of(export.resolve("images/gone").toUri(), "shared",
                Map.of("id", "nfs-1", "mountpoint", export.toString()));

        CopyResult result = access("nfs-1").copy(List.of(elsewhere, gone, fileLocation), size, multihash,
                destinations.resolve("image.raw"));

        assertThat(result.method()).isEqualTo(Method.DIRECT);
        assertThat(result.location()).contains(fileLocation);
        assertThat(result.skipped()).extracting(Skipped::location).containsExactly(elsewhere, gone);
        assertThat(result.skipped().get(1).reason()).startsWith("direct copy failed: ");
        assertThat(fallbackCalls).isEmpty();
    }

    @Test
    void copiesAnEmptyImageDirectly() throws IOException {
        Path empty = Files.createFile(export.resolve("images").resolve("empty"));
        Location location = Location.of(empty.toUri(), "shared", Map.of("id", "nfs-1", "mountpoint",
                export.toString()));

        CopyResult result = access("nfs-1").copy(List.of(location), 0, sha512(new byte[0]),
                destinations.resolve("empty"));

        assertThat(result.method()).isEqualTo(Method.DIRECT);
        assertThat(destinations.resolve("empty")).isEmptyFile();
    }

    @Test
    void aStreamWithOtherContentFailsAndLeavesNothing() throws IOException {
        byte[] other = image.clone();
        other[7] ^= 1;
        DirectAccess access = DirectAccess.create(MountTable.empty(), locations -> new ByteArrayInputStream(other));
        Path destination = destinations.resolve("image.raw");

        assertThatThrownBy(() -> access.copy(List.of(fileLocation, memoryLocation), size, multihash, destination))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessage("Cannot read image from " + fileLocation.uri() + ", " + memoryLocation.uri()
                        + ": the stream's multihash " + sha512(other) + " is not the expected " + multihash);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aStreamOfTheWrongLengthFailsAndLeavesNothing() throws IOException {
        Path destination = destinations.resolve("image.raw");
        DirectAccess shorter = DirectAccess.create(MountTable.empty(),
                locations -> new ByteArrayInputStream(image, 0, IMAGE_SIZE - 1));
        assertThatThrownBy(() -> shorter.copy(List.of(memoryLocation), size, multihash, destination))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot read image from " + memoryLocation.uri() + ": the stream has " + (IMAGE_SIZE - 1)
                        + " bytes, expected " + IMAGE_SIZE);

        byte[] longer = Arrays.copyOf(image, IMAGE_SIZE + 1);
        DirectAccess tooLong = DirectAccess.create(MountTable.empty(), locations -> new ByteArrayInputStream(longer));
        assertThatThrownBy(() -> tooLong.copy(List.of(memoryLocation), size, multihash, destination))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot read image from " + memoryLocation.uri() + ": the stream has more than the"
                        + " expected " + IMAGE_SIZE + " bytes");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void theFallbacksOwnErrorPassesThrough() throws IOException {
        Path destination = destinations.resolve("image.raw");

        assertThatThrownBy(() -> access("nfs-2").copy(List.of(fileLocation), size, multihash, destination))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("Cannot read image: no streamable location");
        assertThat(leftovers()).isEmpty();

        DirectAccess failingRead = DirectAccess.create(MountTable.empty(), locations -> new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        assertThatThrownBy(() -> failingRead.copy(List.of(memoryLocation), size, multihash, destination))
                .isInstanceOf(StoreIOException.class)
                .hasMessage("Cannot read image from " + memoryLocation.uri() + ": java.io.IOException: connection"
                        + " reset");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anExistingDestinationIsNeverOverwritten() throws IOException {
        Path destination = Files.writeString(destinations.resolve("image.raw"), "keep me");

        assertThatThrownBy(() -> access("nfs-1").copy(List.of(fileLocation), size, multihash, destination))
                .isInstanceOf(DuplicateObjectException.class)
                .hasMessage("Cannot copy image to " + destination + ": the file exists");
        assertThat(destination).hasContent("keep me");
        assertThat(leftovers()).containsExactly(destination);
    }

    @Test
    void takesTheExpectedContentOfAnAdd() throws IOException {
        ExpectedContent expected = ExpectedContent.of(size, multihash);

        CopyResult direct = access("nfs-1").copy(List.of(fileLocation), expected, destinations.resolve("a"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CopyResult streamed = access("nfs-2").copy(List.of(fileLocation, memoryLocation), expected,
                Channels.newChannel(bytes));

        assertThat(direct.method()).isEqualTo(Method.DIRECT);
        assertThat(streamed.method()).isEqualTo(Method.STREAMED);
        assertThat(Files.readAllBytes(destinations.resolve("a"))).isEqualTo(image);
        assertThat(bytes.toByteArray()).isEqualTo(image);
        assertThatThrownBy(() -> access("nfs-1").copy(List.of(fileLocation), ExpectedContent.ofSize(size),
                destinations.resolve("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("direct access verifies the size and the multihash, but ExpectedContent[size=" + size
                        + ", multihash=unknown] has no multihash");
        assertThatThrownBy(() -> access("nfs-1").copy(List.of(fileLocation), ExpectedContent.ofMultihash(multihash),
                Channels.newChannel(bytes)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("has no size");
    }

    @Test
    void argumentsAreChecked() {
        DirectAccess access = access("nfs-1");
        Path destination = destinations.resolve("x");
        assertThatThrownBy(() -> access.copy(List.of(fileLocation), -1, multihash, destination))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected size -1 is negative");
        assertThatThrownBy(() -> access.copy(List.of(fileLocation), size, null, destination))
                .isInstanceOf(NullPointerException.class).hasMessage("expected multihash is null");
        assertThatThrownBy(() -> access.copy(Arrays.asList(fileLocation, null), size, multihash, destination))
                .isInstanceOf(NullPointerException.class).hasMessage("locations[1] is null");
        assertThatThrownBy(() -> access.copy(List.of(fileLocation), size, multihash, (Path) null))
                .isInstanceOf(NullPointerException.class).hasMessage("destination is null");
        assertThatThrownBy(() -> DirectAccess.create(MountTable.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("fallback is null");
    }

    @Test
    void aDestinationDirectoryThatDoesNotExistIsAnError() {
        Path destination = destinations.resolve("missing/image.raw");

        assertThatThrownBy(() -> access("nfs-1").copy(List.of(fileLocation), size, multihash, destination))
                .isInstanceOf(StoreIOException.class)
                .hasMessageStartingWith("Cannot copy image to " + destination + ": cannot create a file in "
                        + destinations.resolve("missing") + ": java.nio.file.NoSuchFileException: ");
    }

    @Test
    void concurrentCopiesDoNotInterfere() throws Exception {
        DirectAccess access = access("nfs-1");
        int copies = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(copies);
        try {
            List<java.util.concurrent.Future<CopyResult>> results = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                Path destination = destinations.resolve("copy-" + i);
                // even copies go direct (the file location is mounted), odd ones stream from the memory store
                List<Location> locations = i % 2 == 0 ? List.of(fileLocation) : List.of(memoryLocation);
                results.add(pool.submit(() -> access.copy(locations, size, multihash, destination)));
            }
            for (int i = 0; i < copies; i++) {
                assertThat(results.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS).method())
                        .isEqualTo(i % 2 == 0 ? Method.DIRECT : Method.STREAMED);
                assertThat(Files.readAllBytes(destinations.resolve("copy-" + i))).isEqualTo(image);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(leftovers()).hasSize(copies);
    }

    @Test
    void noLocationsAtAll() {
        assertThatThrownBy(() -> access("nfs-1").copy(List.of(), size, multihash, destinations.resolve("x")))
                .isInstanceOf(AllLocationsFailedException.class)
                .hasMessage("Cannot read image: no locations given");
        assertThat(fallbackCalls).isEmpty();
    }

    @Test
    void aDirectCopyFailingPartWayRewindsASeekableChannelAndStreams() {
        byte[] header = "HEADER".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        FlakyChannel channel = new FlakyChannel(1024 * 1024);
        channel.put(ByteBuffer.wrap(header));

        CopyResult result = access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash, channel);

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        assertThat(result.skipped().get(0).reason())
                .startsWith("direct copy failed (destination rewound to " + header.length + "): ")
                .contains("disk full, once");
        byte[] expectedBytes = new byte[header.length + IMAGE_SIZE];
        System.arraycopy(header, 0, expectedBytes, 0, header.length);
        System.arraycopy(image, 0, expectedBytes, header.length, IMAGE_SIZE);
        assertThat(channel.contents()).isEqualTo(expectedBytes);
    }

    @Test
    void aDirectCopyFailingPartWayIntoAChannelThatCannotRewindIsAnError() {
        FlakyChannel flaky = new FlakyChannel(1024 * 1024);
        WritableByteChannel notSeekable = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer source) throws IOException {
                return flaky.write(source);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };

        assertThatThrownBy(() -> access("nfs-1").copy(List.of(fileLocation, memoryLocation), size, multihash, notSeekable))
                .isInstanceOf(StoreIOException.class)
                .hasMessageStartingWith("Cannot copy " + fileLocation.uri() + " directly from "
                        + clientMount.resolve("images").resolve(IMAGE_ID) + ": the copy failed after the destination"
                        + " channel received data, and it cannot be rewound: ")
                .hasMessageContaining("disk full, once");
        assertThat(fallbackCalls).isEmpty();
    }

    private static Multihash sha512(byte[] bytes) {
        return Multihash.of(HashAlgorithm.SHA512, HashAlgorithm.SHA512.newDigest().digest(bytes));
    }

    /** An in-memory seekable channel whose first write crossing {@code failAt} fails once after a partial write. */
    private static final class FlakyChannel implements SeekableByteChannel {
        // failAt is a byte count; the fault fires once, part way through a write, like a full device
        private final long failAt;
        private byte[] data = new byte[0];
        private int size;
        private int position;
        private boolean failed;

        FlakyChannel(long failAt) {
            this.failAt = failAt;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            if (!failed && position + source.remaining() > failAt) {
                failed = true;
                int partial = (int) (failAt - position);
                ByteBuffer part = source.duplicate();
                part.limit(part.position() + Math.max(partial, 0));
                put(part);
                throw new IOException("disk full, once");
            }
            return put(source);
        }

        int put(ByteBuffer source) {
            int n = source.remaining();
            if (position + n > data.length) {
                data = Arrays.copyOf(data, Math.max(position + n, data.length * 2));
            }
            source.get(data, position, n);
            position += n;
            size = Math.max(size, position);
            return n;
        }

        byte[] contents() {
            return Arrays.copyOf(data, size);
        }

        @Override
        public int read(ByteBuffer destination) {
            throw new UnsupportedOperationException("write only");
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = (int) newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            size = (int) Math.min(size, newSize);
            position = Math.min(position, size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
