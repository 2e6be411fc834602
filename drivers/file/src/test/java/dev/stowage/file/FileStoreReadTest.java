package dev.stowage.file;

import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.UnknownSchemeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;

import static dev.stowage.file.TestStores.add;
import static dev.stowage.file.TestStores.bytes;
import static dev.stowage.file.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads, sizes, deletes, zero-copy transfer and location parsing. */
class FileStoreReadTest {
    @TempDir
    Path dir;

    @Test
    void rangeReadsReturnExactlyTheBytesAskedFor() throws Exception {
        byte[] data = bytes(100_000, 1);
        try (FileStore store = TestStores.open(dir)) {
            Location location = add(store, "ranged", data).location();
            assertThat(read(store.get(location, ByteRange.all()))).isEqualTo(data);
            assertThat(read(store.get(location, ByteRange.of(10, 0)))).isEmpty();
            assertThat(read(store.get(location, ByteRange.of(1000, 5000))))
                    .isEqualTo(Arrays.copyOfRange(data, 1000, 6000));
            assertThat(read(store.get(location, ByteRange.from(99_000))))
                    .isEqualTo(Arrays.copyOfRange(data, 99_000, 100_000));
            assertThat(read(store.get(location, ByteRange.of(0, 100_000)))).isEqualTo(data);
            assertThat(read(store.get(location, ByteRange.from(100_000)))).isEmpty();
            assertThat(store.size(location)).isEqualTo(100_000);

            assertThatThrownBy(() -> store.get(location, ByteRange.from(100_001)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + location.uri()
                            + ": range [100001, end) starts after the end of the object (100000 bytes)");
            assertThatThrownBy(() -> store.get(location, ByteRange.of(99_999, 2)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + location.uri()
                            + ": range [99999, 100001) ends after the end of the object (100000 bytes)");
        }
    }

    @Test
    void theStreamReadsAtMostOneChunkPerCallSkipsAndRefusesUseAfterClose() throws Exception {
        byte[] data = bytes(50_000, 2);
        try (FileStore store = TestStores.open(dir, "chunk-size", "4KiB")) {
            Location location = add(store, "stream", data).location();
            InputStream in = store.get(location, ByteRange.of(100, 20_000));
            byte[] buffer = new byte[1 << 20];
            assertThat(in.available()).isEqualTo(20_000);
            assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(4096);
            assertThat(Arrays.copyOf(buffer, 4096)).isEqualTo(Arrays.copyOfRange(data, 100, 4196));
            assertThat(in.skip(10_000)).isEqualTo(10_000);
            assertThat(in.read()).isEqualTo(data[14_196] & 0xff);
            assertThat(in.skip(1_000_000)).isEqualTo(20_000 - 4096 - 10_000 - 1);
            assertThat(in.read()).isEqualTo(-1);
            in.close();
            in.close();
            assertThatThrownBy(in::read).isInstanceOf(IOException.class)
                    .hasMessage("Cannot read " + location.uri() + ": the stream is closed");
            assertThatThrownBy(() -> in.read(buffer, 0, 10)).isInstanceOf(IOException.class)
                    .hasMessage("Cannot read " + location.uri() + ": the stream is closed");
        }
    }

    @Test
    void aFileTruncatedWhileBeingReadIsAnErrorNotAShortResult() throws Exception {
        byte[] data = bytes(30_000, 3);
        try (FileStore store = TestStores.open(dir)) {
            Location location = add(store, "shrinking", data).location();
            try (InputStream in = store.get(location, ByteRange.all())) {
                assertThat(in.readNBytes(10_000)).isEqualTo(Arrays.copyOf(data, 10_000));
                try (RandomAccessFile file = new RandomAccessFile(dir.resolve("shrinking").toFile(), "rw")) {
                    file.setLength(15_000);
                }
                assertThatThrownBy(in::readAllBytes).isInstanceOf(StoreIOException.class)
                        .hasMessage("Cannot read " + location.uri()
                                + ": the file ended at byte 15000, expected 30000 (was it truncated while being read?)");
            }
        }
    }

    @Test
    void aFailingReadIsAStoreIOExceptionNamingTheLocationAndTheByte() throws Exception {
        Path file = Files.write(dir.resolve("failing"), bytes(100, 4));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        URI uri = file.toUri();
        try (InputStream in = new FileRangeInputStream(channel, 10, 50, uri, 8192)) {
            assertThat(in.readNBytes(20)).hasSize(20);
            channel.close(); // the next positional read fails with ClosedChannelException, an IOException
            assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Cannot read " + uri + " at byte 30: "
                            + "java.nio.channels.ClosedChannelException")
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void transferToCopiesTheWholeObjectIntoAChannel() throws Exception {
        byte[] data = bytes(3_000_000, 4);
        try (FileStore store = TestStores.open(dir.resolve("store"))) {
            assertThat(store.capabilities()).contains(Capability.ZERO_COPY_TRANSFER, Capability.DIRECT_ACCESS);
            Location location = add(store, "copy-me", data).location();
            Path copy = dir.resolve("copy");
            try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                assertThat(store.transferTo(location, out)).isEqualTo(data.length);
            }
            assertThat(Files.readAllBytes(copy)).isEqualTo(data);

            Pipe pipe = Pipe.open();
            pipe.sink().configureBlocking(false);
            assertThatThrownBy(() -> store.transferTo(location, pipe.sink()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target channel must be in blocking mode");
            pipe.sink().close();
            pipe.source().close();

            try (FileChannel readOnly = FileChannel.open(copy, StandardOpenOption.READ)) {
                assertThatThrownBy(() -> store.transferTo(location, readOnly))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("target channel is not open for writing");
            }
            FileChannel closed = FileChannel.open(copy, StandardOpenOption.WRITE);
            closed.close();
            assertThatThrownBy(() -> store.transferTo(location, closed))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessage("Cannot read " + location.uri()
                            + ": copying to the target channel failed: ClosedChannelException")
                    .hasCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
        }
    }

    @Test
    void missingObjectsAreNotFoundNamingTheLocation() throws Exception {
        try (FileStore store = TestStores.open(dir)) {
            Location missing = store.location(FileStore.uri(dir.toRealPath().resolve("missing")));
            assertThatThrownBy(() -> store.get(missing, ByteRange.all()))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot read " + missing.uri() + ": no such object");
            assertThatThrownBy(() -> store.size(missing))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot get the size of " + missing.uri() + ": no such object");
            assertThatThrownBy(() -> store.delete(missing))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot delete " + missing.uri() + ": no such object");
            assertThatThrownBy(() -> store.transferTo(missing, Pipe.open().sink()))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot read " + missing.uri() + ": no such object");

            Files.createDirectory(dir.resolve("a-directory"));
            Location directory = store.location(FileStore.uri(dir.toRealPath().resolve("a-directory")));
            assertThatThrownBy(() -> store.delete(directory))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot delete " + directory.uri()
                            + ": no such object (the name is taken by something that is not a regular file)");
            assertThat(Files.isDirectory(dir.resolve("a-directory"))).isTrue();
        }
    }

    @Test
    void deleteRemovesTheObject() throws Exception {
        try (FileStore store = TestStores.open(dir)) {
            Location location = add(store, "gone", new byte[] {1, 2, 3}).location();
            store.delete(location);
            assertThat(Files.exists(dir.resolve("gone"))).isFalse();
            assertThatThrownBy(() -> store.get(location, ByteRange.all()))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot read " + location.uri() + ": no such object");
            // the id can be used again
            assertThat(add(store, "gone", new byte[] {4}).bytesWritten()).isEqualTo(1);
        }
    }

    @Test
    void locationsParseAndRoundTrip() throws Exception {
        try (FileStore store = TestStores.open(dir)) {
            Path real = dir.toRealPath();
            URI canonical = URI.create("file://" + real + "/abc-1");
            Location parsed = store.location(canonical);
            assertThat(parsed.uri()).isEqualTo(canonical);
            assertThat(parsed.store()).isEqualTo("images");
            assertThat(store.location(parsed.uri())).isEqualTo(parsed);
            assertThat(store.location(URI.create("filesystem://" + real + "/abc-1"))).isEqualTo(parsed);
            assertThat(store.location(URI.create("file:" + real + "/abc-1"))).isEqualTo(parsed);
            assertThat(store.location(URI.create("file://localhost" + real + "/abc-1"))).isEqualTo(parsed);
            assertThat(store.location(URI.create("FILE://" + real + "/abc-1"))).isEqualTo(parsed);
        }
    }

    @Test
    void badLocationsAreRejectedWithSpecificErrors() throws Exception {
        try (FileStore store = TestStores.open(dir)) {
            String real = dir.toRealPath().toString();
            assertThatThrownBy(() -> store.location(URI.create("http://example.com" + real + "/x")))
                    .isInstanceOf(UnknownSchemeException.class)
                    .hasMessage("Cannot use location http://example.com" + real
                            + "/x: store images handles schemes file and filesystem, not http");
            assertRejected(store, "file://otherhost" + real + "/x",
                    "it names host 'otherhost'; file locations are local paths (file:///<absolute path>)");
            assertRejected(store, "file://" + real + "/../etc/passwd",
                    "the path must be absolute and hold no '.' or '..' segments");
            assertRejected(store, "file://" + real + "/./x",
                    "the path must be absolute and hold no '.' or '..' segments");
            assertRejected(store, "file://" + real + "/%2E%2E",
                    "the path must be absolute and hold no '.' or '..' segments");
            assertRejected(store, "file://" + real + "/",
                    "the path ends with '/', it names a directory, not an image file");
            assertRejected(store, "file://" + real + "/x?version=2", "a file location has no query or fragment");
            assertRejected(store, "file://" + real + "/x#part", "a file location has no query or fragment");
            assertRejected(store, "file:relative/x", "expected file:///<absolute path>");
            assertRejected(store, "file://" + real + "/bad%20id",
                    "the file name 'bad id' is not a valid image id");
            assertRejected(store, "file://" + real + "/.stowage-tmp-x-0011",
                    "the file name '.stowage-tmp-x-0011' is not a valid image id");
            assertRejected(store, "file:///etc/passwd",
                    "it is not in a data directory of store images (" + real + ")");
            assertRejected(store, "file://" + real + "/sub/x",
                    "it is not in a data directory of store images (" + real + ")");
            assertRejected(store, "file://" + real + "/nul%00", "not a valid path: Nul character not allowed");

            URI withSecret = URI.create("file://user:s3cret@" + real.substring(1) + "/x");
            assertThatThrownBy(() -> store.location(withSecret))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessageContaining("a location must not carry credentials")
                    .hasMessageNotContaining("s3cret");
            // "host+" is no host name: the JDK keeps the authority whole (registry based) and reports no user info
            assertThatThrownBy(() -> store.location(URI.create("file://user:s3cret@host+/x")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location file://***@host+/x: a location must not carry credentials (user"
                            + " info in the URI)");
            // a secret holding '/' ends the authority for the JDK ("user:s3"): the rest looks like a path
            assertThatThrownBy(() -> store.location(URI.create("file://user:s3/cr/et@localhost/x")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location file://***@localhost/x: it names a host; file locations are local"
                            + " paths (file:///<absolute path>)");
        }
    }

    private static void assertRejected(FileStore store, String uri, String reason) {
        assertThatThrownBy(() -> store.location(URI.create(uri)))
                .as(uri)
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location " + uri + ": " + reason);
    }

    @Test
    void aDataDirectoryGivenThroughASymlinkIsReachedByItsRealPath() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        try (FileStore store = TestStores.open(link)) {
            AddResult result = add(store, "via-link", new byte[] {7});
            assertThat(result.location().uri()).isEqualTo(FileStore.uri(real.toRealPath().resolve("via-link")));
            // the configured (symlink) spelling is accepted and made canonical
            assertThat(store.location(URI.create("file://" + link + "/via-link"))).isEqualTo(result.location());
        }
    }

    @Test
    void symlinksInsideTheDataDirectoryAreNeverFollowed() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path secret = Files.write(dir.resolve("secret"), "outside".getBytes());
        try (FileStore store = TestStores.open(data)) {
            Location inside = add(store, "inside", new byte[] {1}).location();
            Files.createSymbolicLink(data.resolve("escape"), secret);
            Files.createSymbolicLink(data.resolve("alias"), data.toRealPath().resolve("inside"));
            Location escape = store.location(FileStore.uri(data.toRealPath().resolve("escape")));
            Location alias = store.location(FileStore.uri(data.toRealPath().resolve("alias")));

            assertThatThrownBy(() -> store.get(escape, ByteRange.all()))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot read " + escape.uri() + ": it resolves outside data directory "
                            + data.toRealPath() + "; the store does not follow links");
            assertThatThrownBy(() -> store.size(escape)).isInstanceOf(InvalidLocationException.class);
            assertThatThrownBy(() -> store.delete(escape)).isInstanceOf(InvalidLocationException.class);
            assertThatThrownBy(() -> store.transferTo(escape, Pipe.open().sink()))
                    .isInstanceOf(InvalidLocationException.class);
            assertThatThrownBy(() -> store.get(alias, ByteRange.all()))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot read " + alias.uri() + ": it is a symbolic link; the store does not follow"
                            + " links");
            assertThat(Files.readString(secret)).isEqualTo("outside");
            assertThat(read(store.get(inside, ByteRange.all()))).containsExactly(1);
        }
    }

    @Test
    void locationsOfSeveralDirectoriesCarryTheirOwnDirectorysMetadata() throws Exception {
        Path a = Files.createDirectories(dir.resolve("mnt-a/images"));
        Path b = Files.createDirectories(dir.resolve("mnt-b/images"));
        Path metadata = Files.writeString(dir.resolve("metadata.json"), "[{\"id\": \"fs-a\", \"mountpoint\": \""
                + dir.resolve("mnt-a") + "\"}, {\"id\": \"fs-b\", \"mountpoint\": \"" + dir.resolve("mnt-b") + "\"}]");
        try (FileStore store = TestStores.open(Map.of("datadirs", a + ":5," + b + ":9",
                "metadata-file", metadata.toString()))) {
            Path realB = dir.toRealPath().resolve("mnt-b");
            assertThat(store.metadata()).isEqualTo(Map.of("id", "fs-b", "mountpoint", realB.toString()));
            Location inA = store.location(FileStore.uri(a.toRealPath().resolve("x")));
            assertThat(inA.metadata()).isEqualTo(Map.of("id", "fs-a",
                    "mountpoint", dir.toRealPath().resolve("mnt-a").toString()));
            AddResult added = add(store, "y", new byte[] {1});
            assertThat(added.location().uri()).isEqualTo(FileStore.uri(b.toRealPath().resolve("y")));
            assertThat(added.location().metadata()).isEqualTo(store.metadata());
        }
    }
}
