package dev.stowage.tck;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.spi.HashingInputStream;
import dev.stowage.spi.SizeEnforcingInputStream;
import dev.stowage.spi.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A second, independent conforming store for the kit's self-tests: objects are files in a directory, written to a
 * temporary file and published with a hard link (atomic exclusive create), read with a positioned channel. It streams,
 * so the kit's large-object tests run with a heap smaller than the object ({@link LowMemoryTest}).
 */
final class DirectoryStore implements Store {
    private final String name;
    private final Path root;
    private final Path temp;
    private final AtomicBoolean closed = new AtomicBoolean();

    DirectoryStore(String name, Path root) throws IOException {
        this.name = name;
        this.root = root;
        this.temp = Files.createDirectories(root.resolve(".tmp"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "dir";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE, Capability.DELETE,
                Capability.ATOMIC_CREATE);
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("root", root.toString());
    }

    /** Temporary files of adds in progress or failed. */
    List<String> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
        checkOpen();
        ImageIds.requireValid(imageId);
        URI uri = uri(imageId);
        Path target = root.resolve(imageId);
        if (Files.exists(target)) {
            throw new DuplicateObjectException("Cannot add " + uri + ": the object already exists");
        }
        Path part = temp.resolve(imageId + "." + UUID.randomUUID() + ".part");
        HashingInputStream hashing = new HashingInputStream(
                new SizeEnforcingInputStream(data, expectedSize, uri.toString()), options.hashAlgorithm());
        try {
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = hashing.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            }
            Files.createLink(target, part);
        } catch (FileAlreadyExistsException e) {
            throw new DuplicateObjectException("Cannot add " + uri + ": the object already exists", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot add " + uri + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // left for leftovers() to report
            }
        }
        return new AddResult(Location.of(uri, name, metadata()), hashing.count(), hashing.md5Hex(),
                hashing.multihash());
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        Path file = file(location);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                long length = range.within(channel.size(), location.uri().toString());
                channel.position(range.offset());
                return new BoundedStream(Channels.newInputStream(channel), length);
            } catch (StoreException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("Cannot read " + location.uri() + ": no such object", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot read " + location.uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(Location location) {
        try {
            return Files.size(file(location));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("Cannot read " + location.uri() + ": no such object", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot read " + location.uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Location location) {
        try {
            Files.delete(file(location));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("Cannot delete " + location.uri() + ": no such object", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot delete " + location.uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Location location(URI uri) {
        checkOpen();
        imageId(uri);
        return Location.of(uri, name, metadata());
    }

    @Override
    public void close() {
        closed.set(true);
    }

    private Path file(Location location) {
        checkOpen();
        return root.resolve(imageId(location.uri()));
    }

    private URI uri(String imageId) {
        return URI.create("dir://" + name + "/" + imageId);
    }

    private String imageId(URI uri) {
        if (!"dir".equalsIgnoreCase(uri.getScheme())) {
            throw new UnknownSchemeException("Cannot use location " + Location.redact(uri) + ": store " + name
                    + " handles scheme dir, not " + uri.getScheme());
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": a location must not carry credentials");
        }
        String path = uri.getPath();
        if (!name.equals(uri.getHost()) || path == null || !path.startsWith("/") || uri.getRawQuery() != null
                || uri.getRawFragment() != null || !ImageIds.isValid(path.substring(1))) {
            throw new InvalidLocationException("Cannot use location " + uri + ": expected dir://" + name
                    + "/<image id>");
        }
        return path.substring(1);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreClosedException("Cannot use store " + name + ": it is closed");
        }
    }

    /** At most {@code length} bytes of a channel's stream; closing closes the channel, reads after close fail. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                in.read(buffer, offset, 0);
                return length == 0 ? 0 : -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
