package org.example.stowage.cas;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ForbiddenException;
import dev.stowage.api.ImageIds;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.WriteDeniedException;
import dev.stowage.spi.HashingInputStream;
import dev.stowage.spi.SizeEnforcingInputStream;
import dev.stowage.spi.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The store behind {@link CasStoreDriver}. How each rule of the store contract is kept:
 * <ul>
 *   <li>S1: add copies through one buffer of {@code buffer-size} bytes; reads stream from a file channel.</li>
 *   <li>S3/S4: the data goes to a temporary file under {@code tmp/}; nothing is visible until the image's hard link
 *       {@code refs/<id>} is made, and the temporary file is removed whatever happens.</li>
 *   <li>S5: {@code refs/<id>} is made with {@link Files#createLink}, which fails when the name exists: the file system
 *       picks exactly one winner of a race, and the loser's data never touches the winner's file.</li>
 *   <li>Sharing: the content is first linked as {@code blobs/<algorithm>/<xx>/<digest>}; an image whose content is
 *       there already links to that file instead. The content file is removed when its link count drops to 1 (only
 *       the index entry left), by whoever removed the second-to-last link.</li>
 * </ul>
 */
final class CasStore implements Store {
    private static final System.Logger LOG = System.getLogger(CasStore.class.getName());
    private static final String REFS = "refs";
    private static final String BLOBS = "blobs";
    private static final String TMP = "tmp";
    private static final String LINK_COUNT = "unix:nlink";
    private static final int PUBLISH_ATTEMPTS = 16;

    private final String name;
    private final String id;
    private final Path root;
    private final Path refs;
    private final Path blobs;
    private final Path tmp;
    private final boolean readOnly;
    private final int bufferSize;
    private final boolean fsync;
    private final Set<Capability> capabilities;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CasStore(String name, String id, Path root, boolean readOnly, int bufferSize, boolean fsync) {
        this.name = name;
        this.id = id;
        this.root = root;
        this.refs = root.resolve(REFS);
        this.blobs = root.resolve(BLOBS);
        this.tmp = root.resolve(TMP);
        this.readOnly = readOnly;
        this.bufferSize = bufferSize;
        this.fsync = fsync;
        EnumSet<Capability> can = EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.ZERO_COPY_TRANSFER);
        if (!readOnly) {
            can.addAll(EnumSet.of(Capability.WRITE, Capability.DELETE, Capability.ATOMIC_CREATE));
        }
        this.capabilities = Collections.unmodifiableSet(can);
    }

    /** Opens (and unless read-only, creates and tidies) the store under {@code root}. */
    static CasStore open(String name, String id, Path root, boolean readOnly, int bufferSize, boolean fsync,
                         Duration tempMaxAge, String rootKey) {
        Path dir = root.toAbsolutePath().normalize();
        String cannot = "Cannot configure store " + name + ": root " + dir + " (option '" + rootKey + "') ";
        try {
            if (readOnly) {
                if (!Files.isDirectory(dir.resolve(REFS)) || !Files.isDirectory(dir.resolve(BLOBS))) {
                    throw new ConfigurationException(rootKey, cannot + "is not a cas store (no refs/ and blobs/)");
                }
            } else {
                Files.createDirectories(dir.resolve(REFS));
                Files.createDirectories(dir.resolve(BLOBS));
                Files.createDirectories(dir.resolve(TMP));
            }
            if (!Files.getFileStore(dir).supportsFileAttributeView("unix")) {
                throw new ConfigurationException(rootKey, cannot + "is on a file system without POSIX link counts");
            }
            if (!readOnly) {
                probeHardLinks(dir.resolve(TMP), rootKey, cannot);
            }
        } catch (IOException e) {
            throw new ConfigurationException(rootKey, cannot + "cannot be used: " + e, e);
        }
        CasStore store = new CasStore(name, id, dir, readOnly, bufferSize, fsync);
        if (!readOnly) {
            store.sweep(tempMaxAge);
        }
        return store;
    }

    private static void probeHardLinks(Path tmp, String rootKey, String cannot) throws IOException {
        Path probe = Files.createTempFile(tmp, "probe-", ".part");
        Path link = tmp.resolve(probe.getFileName() + ".link");
        try {
            Files.createLink(link, probe);
        } catch (UnsupportedOperationException | IOException e) {
            throw new ConfigurationException(rootKey, cannot + "is on a file system without hard links: " + e, e);
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(probe);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return CasStoreDriver.TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        checkOpen();
        if (readOnly) {
            throw new OperationNotSupportedException(Capability.WRITE, "Cannot add image " + ImageIds.quote(imageId)
                    + " to store " + name + ": the store is read-only");
        }
        ImageIds.requireValid(imageId);
        String what = CasLocation.describe(id, imageId);
        if (expectedSize < 0 && expectedSize != UNKNOWN_SIZE) {
            throw new SizeMismatchException("Cannot add " + what + ": the declared size " + expectedSize
                    + " is negative");
        }
        Path ref = refs.resolve(imageId);
        if (Files.exists(ref, LinkOption.NOFOLLOW_LINKS)) {
            throw duplicate(what);
        }
        Path temp;
        try {
            temp = Files.createTempFile(tmp, "add-", ".part");
        } catch (IOException e) {
            throw translate("add", what, e);
        }
        Path blob = null;
        boolean published = false;
        try {
            HashingInputStream hashing = new HashingInputStream(
                    new SizeEnforcingInputStream(data, expectedSize, what), options.hashAlgorithm());
            copy(hashing, temp, what);
            Multihash digest = hashing.multihash();
            blob = blob(digest);
            publish(temp, blob, ref, hashing.count(), what);
            published = true;
            URI uri = new CasLocation(id, imageId, digest).uri();
            return new AddResult(Location.of(uri, name, metadata()), hashing.count(), hashing.md5Hex(), digest);
        } finally {
            removeTemp(temp);
            if (!published && blob != null) {
                collectIfUnused(blob);
            }
        }
    }

    private void copy(InputStream in, Path temp, String what) {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[bufferSize];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException | UncheckedIOException e) {
                    throw new StoreIOException("Cannot add " + what + ": reading the data failed: " + e.getMessage(),
                            e);
                }
                if (n < 0) {
                    break;
                }
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
            }
            if (fsync) {
                out.force(true);
            }
        } catch (IOException e) {
            throw translate("add", what, e);
        }
    }

    /** Links the content into the index (or finds it there) and then the image's name to it, exclusively. */
    private void publish(Path temp, Path blob, Path ref, long size, String what) {
        try {
            Files.createDirectories(blob.getParent());
            for (int attempt = 1; ; attempt++) {
                if (!linkContent(blob, temp, size, what)) {
                    continue;
                }
                try {
                    Files.createLink(ref, blob);
                    if (fsync) {
                        syncDirectory(blob.getParent());
                        syncDirectory(refs);
                    }
                    return;
                } catch (FileAlreadyExistsException e) {
                    throw duplicate(what);
                } catch (NoSuchFileException e) {
                    // a concurrent delete removed the shared content between the two links: link it again
                    if (attempt >= PUBLISH_ATTEMPTS) {
                        throw new StoreIOException("Cannot add " + what + ": the stored content vanished "
                                + attempt + " times while it was being linked", e);
                    }
                }
            }
        } catch (IOException e) {
            throw translate("add", what, e);
        }
    }

    /** Puts the content at {@code blob}; false when an existing copy vanished while it was checked (try again). */
    private boolean linkContent(Path blob, Path temp, long size, String what) throws IOException {
        try {
            Files.createLink(blob, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            // the same content is stored already: share it
            long existing;
            try {
                existing = Files.size(blob);
            } catch (NoSuchFileException gone) {
                return false;
            }
            if (existing != size) {
                throw new StoreIOException("Cannot add " + what + ": stored content " + root.relativize(blob)
                        + " has " + existing + " bytes where the same digest gave " + size
                        + "; the store is damaged");
            }
            return true;
        }
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        requireNonNull(location, "location is null");
        requireNonNull(range, "range is null");
        checkOpen();
        CasLocation parsed = parse(location.uri());
        String shown = parsed.uri().toString();
        FileChannel channel = openRef(parsed, "read");
        try {
            long length = range.within(channel.size(), shown);
            channel.position(range.offset());
            return new ChannelRangeInputStream(channel, length, shown);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw translate("read", shown, e);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public long size(Location location) {
        requireNonNull(location, "location is null");
        checkOpen();
        CasLocation parsed = parse(location.uri());
        try {
            return Files.readAttributes(ref(parsed), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        } catch (NoSuchFileException e) {
            throw notFound("read", parsed, e);
        } catch (IOException e) {
            throw translate("read", parsed.uri().toString(), e);
        }
    }

    @Override
    public long transferTo(Location location, WritableByteChannel target) {
        requireNonNull(location, "location is null");
        requireNonNull(target, "target is null");
        checkOpen();
        CasLocation parsed = parse(location.uri());
        try (FileChannel channel = openRef(parsed, "read")) {
            long size = channel.size();
            long position = 0;
            while (position < size) {
                position += channel.transferTo(position, size - position, target);
            }
            return position;
        } catch (IOException e) {
            throw translate("read", parsed.uri().toString(), e);
        }
    }

    @Override
    public void delete(Location location) {
        requireNonNull(location, "location is null");
        checkOpen();
        if (readOnly) {
            throw new OperationNotSupportedException(Capability.DELETE, "Cannot delete "
                    + Location.redact(location.uri()) + ": store " + name + " is read-only");
        }
        CasLocation parsed = parse(location.uri());
        try {
            Files.delete(ref(parsed));
            if (fsync) {
                syncDirectory(refs);
            }
        } catch (NoSuchFileException e) {
            throw notFound("delete", parsed, e);
        } catch (IOException e) {
            throw translate("delete", parsed.uri().toString(), e);
        }
        collectIfUnused(blob(parsed.digest()));
    }

    @Override
    public Location location(URI uri) {
        checkOpen();
        return Location.of(parse(uri).uri(), name, metadata());
    }

    @Override
    public void close() {
        closed.set(true);
    }

    @Override
    public String toString() {
        return "CasStore[" + name + ": id=" + id + ", root=" + root + (readOnly ? ", read-only" : "") + "]";
    }

    /**
     * What failed or interrupted adds left behind: files under {@code tmp/} and content files no image links to.
     * Paths are relative to the root. Empty for a store that keeps rule S4.
     */
    List<String> leftovers() throws IOException {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(tmp)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
                entries.forEach(entry -> found.add(root.relativize(entry).toString()));
            }
        }
        for (Path blob : blobFiles()) {
            if (linkCount(blob) <= 1) {
                found.add(root.relativize(blob).toString());
            }
        }
        Collections.sort(found);
        return found;
    }

    /** Removes files of adds idle for longer than {@code maxAge} and content files no image links to. */
    private void sweep(Duration maxAge) {
        FileTime cutoff = FileTime.from(Instant.now().minus(maxAge));
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0
                        && Files.deleteIfExists(entry)) {
                    removed++;
                }
            }
            for (Path blob : blobFiles()) {
                if (collectIfUnused(blob)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot tidy store {0} under {1}: {2}", name, root, e.toString());
        }
        if (removed > 0) {
            LOG.log(Level.INFO, "Store {0}: removed {1} files left by interrupted adds or deletes under {2}",
                    name, removed, root);
        }
    }

    private List<Path> blobFiles() throws IOException {
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(blobs, 3)) {
            return walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    /**
     * Removes a content file when no image links to it any more (its link count is 1: the index entry alone).
     * Safe against a concurrent add of the same content: such an add keeps its own copy until its image link exists,
     * and links again when the shared file vanished under it.
     */
    private boolean collectIfUnused(Path blob) {
        try {
            if (linkCount(blob) == 1) {
                return Files.deleteIfExists(blob);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot remove unused content {0} of store {1} (it is removed when a store opens"
                    + " here next): {2}", root.relativize(blob), name, e.toString());
        }
        return false;
    }

    private static int linkCount(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, LINK_COUNT, LinkOption.NOFOLLOW_LINKS);
    }

    private void removeTemp(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot remove temporary file {0} of store {1} (it is removed when a store opens"
                    + " here next): {2}", root.relativize(temp), name, e.toString());
        }
    }

    private FileChannel openRef(CasLocation location, String verb) {
        try {
            return FileChannel.open(ref(location), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(verb, location, e);
        } catch (IOException e) {
            throw translate(verb, location.uri().toString(), e);
        }
    }

    private CasLocation parse(URI uri) {
        return CasLocation.parse(requireNonNull(uri, "uri is null"), id, name);
    }

    private Path ref(CasLocation location) {
        return refs.resolve(location.imageId());
    }

    private Path blob(Multihash digest) {
        return blobs.resolve(digest.algorithm().id()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms cannot open or force a directory; the data itself was forced already
            LOG.log(Level.DEBUG, "Cannot force directory {0} to disk: {1}", dir, e.toString());
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreClosedException("Cannot use store " + name + ": it is closed");
        }
    }

    private static DuplicateObjectException duplicate(String what) {
        return new DuplicateObjectException("Cannot add " + what + ": the image already exists");
    }

    private static ObjectNotFoundException notFound(String verb, CasLocation location, IOException cause) {
        return new ObjectNotFoundException("Cannot " + verb + " " + location.uri() + ": no such object", cause);
    }

    private StoreException translate(String verb, String what, IOException e) {
        String prefix = "Cannot " + verb + " " + what + ": ";
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.toString();
        if (e instanceof AccessDeniedException) {
            String message = prefix + "permission denied on " + relative(((AccessDeniedException) e).getFile());
            return verb.equals("read") ? new ForbiddenException(message, e) : new WriteDeniedException(message, e);
        }
        if (reason.contains("No space left") || reason.contains("quota")) {
            return new StorageFullException(prefix + reason, e);
        }
        return new StoreIOException(prefix + reason, e);
    }

    private String relative(String file) {
        if (file == null) {
            return "the store";
        }
        Path path = Path.of(file);
        return path.startsWith(root) ? root.relativize(path).toString() : file;
    }
}
