package org.example.stowage.cas;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ForbiddenException;
import dev.stowage.api.HashAlgorithm;
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
import java.nio.file.StandardCopyOption;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The store behind {@link CasStoreDriver}. An image is a directory {@code refs/<image id>/} holding one hard link,
 * named {@code <algorithm>-<hex digest>}, to its content {@code blobs/<algorithm>/<xx>/<hex digest>}. How each rule of
 * the store contract is kept:
 * <ul>
 *   <li>S1: add copies through one buffer of {@code buffer-size} bytes; reads stream from a file channel.</li>
 *   <li>S3/S4: the data goes to a temporary file under {@code tmp/}; the image directory is prepared under
 *       {@code tmp/} too and appears under {@code refs/} by one atomic rename; every temporary name is removed
 *       whatever happens. A delete renames the image directory away first, so an image also disappears at once.</li>
 *   <li>S5: renaming a directory onto an existing non-empty directory fails (POSIX {@code rename}), so of racing
 *       writers exactly one wins, and the losers' data never touches the winner's image.</li>
 *   <li>Sharing: content that is stored already is linked, not copied. A content file is removed when its link count
 *       drops to 1 (only the index entry left), by whoever removed the second-to-last link. An add that finds the
 *       shared copy gone at that very moment links its own copy instead: nothing is lost, only that sharing.</li>
 * </ul>
 */
final class CasStore implements Store {
    private static final System.Logger LOG = System.getLogger(CasStore.class.getName());
    private static final String REFS = "refs";
    private static final String BLOBS = "blobs";
    private static final String TMP = "tmp";
    private static final String LINK_COUNT = "unix:nlink";

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
        URI uri = new CasLocation(id, imageId).uri(); // known before any byte is read: it names the image, not the data
        String what = uri.toString();
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
            publish(temp, blob, digest, ref, hashing.count(), what);
            published = true;
            return new AddResult(Location.of(uri, name, metadata()), hashing.count(), hashing.md5Hex(), digest);
        } finally {
            removeTree(temp);
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

    /**
     * Prepares the image directory under {@code tmp/} with a link to the content, then renames it into place: the one
     * step that makes the image visible, and that fails when the id is taken.
     */
    private void publish(Path temp, Path blob, Multihash digest, Path ref, long size, String what) {
        Path staging = null;
        try {
            staging = Files.createTempDirectory(tmp, "img-");
            linkContent(staging.resolve(entryName(digest)), blob, temp, size, what);
            if (fsync) {
                syncDirectory(staging);
                syncDirectory(blob.getParent());
            }
            try {
                Files.move(staging, ref, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (Files.exists(ref, LinkOption.NOFOLLOW_LINKS)) {
                    throw duplicate(what);
                }
                throw e;
            }
            staging = null;
            if (fsync) {
                syncDirectory(refs);
            }
        } catch (IOException e) {
            throw translate("add", what, e);
        } finally {
            if (staging != null) {
                removeTree(staging);
            }
        }
    }

    /**
     * Links {@code entry} to the content: to the copy in the index when the same content is there already, otherwise
     * to the new copy in {@code temp}, which then joins the index.
     */
    private void linkContent(Path entry, Path blob, Path temp, long size, String what) throws IOException {
        Files.createDirectories(blob.getParent());
        try {
            Files.createLink(blob, temp);
        } catch (FileAlreadyExistsException stored) {
            try {
                long existing = Files.size(blob);
                if (existing != size) {
                    throw new StoreIOException("Cannot add " + what + ": stored content " + root.relativize(blob)
                            + " has " + existing + " bytes where the same digest gave " + size
                            + "; the store is damaged");
                }
                Files.createLink(entry, blob);
                return;
            } catch (NoSuchFileException collected) {
                // the last image of that content was deleted a moment ago: keep the new copy (outside the index)
            }
        }
        Files.createLink(entry, temp);
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        requireNonNull(location, "location is null");
        requireNonNull(range, "range is null");
        checkOpen();
        CasLocation parsed = parse(location.uri());
        String shown = parsed.uri().toString();
        FileChannel channel = open(parsed, "read");
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
            return Files.readAttributes(entry(parsed, "read"), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .size();
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
        try (FileChannel channel = open(parsed, "read")) {
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
        String shown = parsed.uri().toString();
        Path doomed = tmp.resolve("del-" + UUID.randomUUID());
        try {
            // the image disappears in one step; what it held is removed afterwards
            Files.move(ref(parsed), doomed, StandardCopyOption.ATOMIC_MOVE);
            if (fsync) {
                syncDirectory(refs);
            }
        } catch (NoSuchFileException e) {
            throw notFound("delete", parsed, e);
        } catch (IOException e) {
            throw translate("delete", shown, e);
        }
        List<Path> contents = new ArrayList<>();
        if (Files.isDirectory(doomed, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(doomed)) {
                entries.forEach(entry -> digestOf(entry).map(this::blob).ifPresent(contents::add));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Cannot list deleted image {0} of store {1}: {2}", shown, name, e.toString());
            }
        }
        removeTree(doomed);
        contents.forEach(this::collectIfUnused);
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
                if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
                    removeTree(entry);
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

    private FileChannel open(CasLocation location, String verb) {
        Path entry = entry(location, verb);
        try {
            return FileChannel.open(entry, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(verb, location, e);
        } catch (IOException e) {
            throw translate(verb, location.uri().toString(), e);
        }
    }

    /** The link to the image's content: the one entry of {@code refs/<image id>/}. */
    private Path entry(CasLocation location, String verb) {
        Path ref = ref(location);
        String shown = location.uri().toString();
        try {
            if (!Files.readAttributes(ref, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                throw damaged(verb, shown, root.relativize(ref) + " is not a directory");
            }
            List<Path> entries = new ArrayList<>(1);
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(ref)) {
                listing.forEach(entries::add);
            }
            if (entries.size() != 1 || digestOf(entries.get(0)).isEmpty()) {
                throw damaged(verb, shown, root.relativize(ref) + " holds " + entries.size()
                        + " entries instead of one content link");
            }
            return entries.get(0);
        } catch (NoSuchFileException e) {
            throw notFound(verb, location, e);
        } catch (IOException e) {
            throw translate(verb, shown, e);
        }
    }

    private static String entryName(Multihash digest) {
        return digest.algorithm().id() + "-" + digest.hex();
    }

    /** The digest an image entry is named after, if it is one. */
    private static Optional<Multihash> digestOf(Path entry) {
        String fileName = entry.getFileName().toString();
        int dash = fileName.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String algorithm = fileName.substring(0, dash);
        for (HashAlgorithm candidate : HashAlgorithm.values()) {
            if (candidate.id().equals(algorithm)) {
                try {
                    return Optional.of(new Multihash(candidate, fileName.substring(dash + 1)));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Removes a file, or a directory and the files in it, never following links; failures are logged. */
    private void removeTree(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                    for (Path entry : entries) {
                        Files.deleteIfExists(entry);
                    }
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot remove {0} of store {1} (it is removed when a store opens here next):"
                    + " {2}", root.relativize(path), name, e.toString());
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

    private StoreIOException damaged(String verb, String shown, String problem) {
        return new StoreIOException("Cannot " + verb + " " + shown + ": " + problem + "; the store under " + root
                + " is damaged");
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
