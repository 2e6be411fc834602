package dev.stowage.file;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ForbiddenException;
import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.api.WriteDeniedException;
import dev.stowage.spi.HashingInputStream;
import dev.stowage.spi.SizeEnforcingInputStream;
import dev.stowage.spi.Store;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The file-system store. Objects are files named by their image id in one of the data directories; locations are
 * {@code file:///<real path of the data directory>/<image id>}.
 *
 * <p>Adds write a locked temp file next to the final name, force it to the device ({@code fsync} option), check the
 * size, and only then give it its final name with {@code link(2)}, which fails when the name exists: exclusive create
 * is atomic under a race with no check-then-write window. With several data directories, adds of one id are also
 * serialised within the JVM and a link that finds the id in another directory is undone. Reads open the real path
 * with {@code O_NOFOLLOW} after checking it lies in a data directory.
 */
final class FileStore implements Store {
    static final String SCHEME = "file";
    static final String LEGACY_SCHEME = "filesystem";

    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

    private final FileStoreSettings settings;
    private final FileOps ops;
    private final List<Directory> directories;
    private final List<List<Directory>> byPriority;
    private final Map<Path, Directory> byPath;
    private final Set<Capability> capabilities;
    private final boolean atomicCreate;
    private final Set<PosixFilePermission> filePermissions;
    private final FileAttribute<?>[] tempAttributes;
    private final byte[] zeros;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A data directory after start-up: its real path, the file system it is on (null when the JDK cannot find it) and
     * its location metadata.
     */
    record Directory(Path configured, Path real, int priority, java.nio.file.FileStore fileSystem,
                     Map<String, String> metadata) {
    }

    private FileStore(FileStoreSettings settings, FileOps ops, List<Directory> directories, boolean links) {
        this.settings = settings;
        this.ops = ops;
        this.directories = List.copyOf(directories);
        Map<Integer, List<Directory>> groups = new TreeMap<>(Comparator.reverseOrder());
        Map<Path, Directory> paths = new LinkedHashMap<>();
        for (Directory directory : directories) {
            groups.computeIfAbsent(directory.priority(), key -> new ArrayList<>()).add(directory);
            paths.put(directory.real(), directory);
            paths.putIfAbsent(directory.configured(), directory);
        }
        this.byPriority = groups.values().stream().map(List::copyOf).toList();
        this.byPath = Collections.unmodifiableMap(paths);
        this.atomicCreate = links;
        EnumSet<Capability> declared = EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE,
                Capability.DELETE, Capability.DIRECT_ACCESS, Capability.ZERO_COPY_TRANSFER);
        if (links) {
            declared.add(Capability.ATOMIC_CREATE);
        }
        this.capabilities = Collections.unmodifiableSet(declared);
        if (settings.filePerm() == FileStoreSettings.UNSET) {
            this.filePermissions = null;
            this.tempAttributes = new FileAttribute<?>[0];
        } else {
            this.filePermissions = permissions(settings.filePerm());
            // private while being written; the configured permissions are set just before the file gets its name
            this.tempAttributes = new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))};
        }
        this.zeros = settings.thinProvisioning() ? new byte[settings.chunkSize()] : null;
    }

    // ------------------------------------------------------------------------------------------------ start-up

    static FileStore open(FileStoreSettings settings, FileOps ops) {
        String store = settings.storeName();
        String key = settings.directoryKey();
        List<Directory> directories = new ArrayList<>();
        Map<Path, Path> realToConfigured = new LinkedHashMap<>();
        boolean links = true;
        for (DataDirectory configured : settings.directories()) {
            Path path = configured.path();
            Path real = prepare(store, key, path);
            Path earlier = realToConfigured.putIfAbsent(real, path);
            if (earlier != null) {
                throw new ConfigurationException(key, "Cannot configure store " + store + ": data directories "
                        + earlier + " and " + path + " (option '" + key + "') are the same directory " + real);
            }
            links &= probe(store, key, real, ops);
            java.nio.file.FileStore fileSystem;
            try {
                fileSystem = Files.getFileStore(real);
            } catch (IOException e) {
                // e.g. "Mount point not found" in some containers: free space is then read with statvfs on the path
                LOG.log(Level.DEBUG, () -> "No FileStore for " + real + ": " + e);
                fileSystem = null;
            }
            Map<String, String> metadata = metadataFor(settings, real);
            if (settings.filePerm() != FileStoreSettings.UNSET) {
                grantSearch(settings, real);
            }
            directories.add(new Directory(path, real, configured.priority(), fileSystem, metadata));
        }
        for (Directory a : directories) {
            for (Directory b : directories) {
                if (a != b && b.real().startsWith(a.real())) {
                    throw new ConfigurationException(key, "Cannot configure store " + store + ": data directory "
                            + b.real() + " lies inside data directory " + a.real() + " (option '" + key
                            + "'); data directories must not nest");
                }
            }
        }
        if (!links) {
            LOG.log(Level.WARNING, () -> "Store " + store + ": a data directory's file system has no hard links;"
                    + " exclusive create falls back to check-then-rename and the store does not declare "
                    + Capability.ATOMIC_CREATE);
        }
        for (Directory directory : directories) {
            try {
                int removed = TempFiles.sweep(directory.real());
                if (removed > 0) {
                    LOG.log(Level.INFO, () -> "Store " + store + ": removed " + removed
                            + " stale temp file(s) left by interrupted adds in " + directory.real());
                }
            } catch (IOException e) {
                throw new ConfigurationException(key, "Cannot configure store " + store + ": data directory "
                        + directory.real() + " (option '" + key + "') cannot be listed: " + e, e);
            }
        }
        FileStore opened = new FileStore(settings, ops, directories, links);
        LOG.log(Level.DEBUG, () -> "Opened " + opened);
        return opened;
    }

    /** Creates the directory when missing and returns its real path. */
    private static Path prepare(String store, String key, Path path) {
        try {
            Files.createDirectories(path);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigurationException(key, "Cannot configure store " + store + ": data directory " + path
                    + " (option '" + key + "') exists but is not a directory", e);
        } catch (IOException e) {
            throw new ConfigurationException(key, "Cannot configure store " + store + ": data directory " + path
                    + " (option '" + key + "') cannot be created: " + reason(e), e);
        }
        try {
            Path real = path.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new ConfigurationException(key, "Cannot configure store " + store + ": data directory " + path
                        + " (option '" + key + "') is not a directory");
            }
            return real;
        } catch (IOException e) {
            throw new ConfigurationException(key, "Cannot configure store " + store + ": data directory " + path
                    + " (option '" + key + "') cannot be resolved: " + reason(e), e);
        }
    }

    /**
     * Checks that the store can write in {@code directory} the way adds do (create a temp file, write, link), so a
     * store is never silently read-only. Returns whether hard links work there.
     */
    private static boolean probe(String store, String key, Path directory, FileOps ops) {
        try (TempFiles.TempFile probe = TempFiles.create(ops, directory, "probe", new FileAttribute<?>[0])) {
            probe.channel().write(ByteBuffer.wrap(new byte[] {'o', 'k'}), 0);
            Path link = directory.resolve(probe.path().getFileName() + "-link");
            try {
                ops.link(link, probe.path());
            } catch (UnsupportedOperationException e) {
                LOG.log(Level.DEBUG, () -> "No hard links in " + directory + ": " + e);
                return false;
            } catch (FileSystemException e) {
                if (!noLinks(e)) {
                    throw e;
                }
                LOG.log(Level.DEBUG, () -> "No hard links in " + directory + ": " + e);
                return false;
            }
            Files.delete(link);
            return true;
        } catch (IOException e) {
            throw new ConfigurationException(key, "Cannot configure store " + store + ": data directory " + directory
                    + " (option '" + key + "') is not writable: " + reason(e), e);
        }
    }

    /** Whether a failed link(2) means the file system has no hard links (EPERM, EOPNOTSUPP), not another problem. */
    private static boolean noLinks(FileSystemException e) {
        if (e instanceof AccessDeniedException || e instanceof NoSuchFileException
                || e instanceof FileAlreadyExistsException) {
            return false;
        }
        String reason = String.valueOf(e.getReason()).toLowerCase(Locale.ROOT);
        return reason.contains("not supported") || reason.contains("not permitted");
    }

    /** The entry whose mountpoint contains {@code directory}, the deepest when mounts nest. */
    private static Map<String, String> metadataFor(FileStoreSettings settings, Path directory) {
        if (settings.mounts().isEmpty()) {
            return Map.of();
        }
        MountEntry best = null;
        for (MountEntry entry : settings.mounts()) {
            MountEntry resolved = resolve(entry);
            if (resolved.contains(directory)
                    && (best == null || resolved.mountpoint().getNameCount() > best.mountpoint().getNameCount())) {
                best = resolved;
            }
        }
        if (best == null) {
            throw new ConfigurationException(settings.mountsKey(), "Cannot configure store " + settings.storeName()
                    + ": data directory " + directory + " is under none of the mountpoints given by '"
                    + settings.mountsKey() + "' (" + settings.mounts().stream().map(e -> e.mountpoint().toString())
                    .collect(Collectors.joining(", ")) + "); locations would lack their file system id");
        }
        return best.metadata();
    }

    /** The entry with its mountpoint's real path when it exists here (data directories are real paths too). */
    private static MountEntry resolve(MountEntry entry) {
        try {
            return new MountEntry(entry.id(), entry.mountpoint().toRealPath());
        } catch (IOException e) {
            return entry;
        }
    }

    /** Glance's rule: files others may read need a directory others may search (and likewise for the group). */
    private static void grantSearch(FileStoreSettings settings, Path directory) {
        int mode = settings.filePerm();
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        if (view == null) {
            throw new ConfigurationException(settings.filePermKey(), "Cannot configure store " + settings.storeName()
                    + ": option '" + settings.filePermKey() + "' needs POSIX permissions, which the file system of "
                    + directory + " does not have");
        }
        PosixFilePermission needed = (mode & 0007) != 0 ? PosixFilePermission.OTHERS_EXECUTE
                : (mode & 0070) != 0 ? PosixFilePermission.GROUP_EXECUTE : null;
        if (needed == null) {
            return;
        }
        try {
            Set<PosixFilePermission> current = EnumSet.noneOf(PosixFilePermission.class);
            current.addAll(view.readAttributes().permissions());
            if (current.add(needed)) {
                view.setPermissions(current);
                LOG.log(Level.INFO, () -> "Store " + settings.storeName() + ": added " + needed + " to " + directory
                        + " so that files with permissions 0" + Integer.toOctalString(mode) + " can be reached");
            }
        } catch (IOException e) {
            throw new ConfigurationException(settings.filePermKey(), "Cannot configure store " + settings.storeName()
                    + ": cannot give data directory " + directory + " the search permission that option '"
                    + settings.filePermKey() + "' needs: " + reason(e), e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                result.add(bits[bit]);
            }
        }
        return Collections.unmodifiableSet(result);
    }

    // ------------------------------------------------------------------------------------------------ Store

    @Override
    public String name() {
        return settings.storeName();
    }

    @Override
    public String type() {
        return FileStoreDriver.TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /**
     * The metadata of the highest-priority data directory (the first configured among equals). With several data
     * directories on different file systems, each location carries the metadata of its own directory.
     */
    @Override
    public Map<String, String> metadata() {
        return byPriority.get(0).get(0).metadata();
    }

    /** The data directories (real paths) in configuration order. */
    List<Path> directories() {
        return directories.stream().map(Directory::real).toList();
    }

    @Override
    public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
        checkOpen();
        ImageIds.requireValid(imageId);
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        if (expectedSize < 0 && expectedSize != UNKNOWN_SIZE) {
            throw new IllegalArgumentException("expectedSize is negative: " + expectedSize);
        }
        if (directories.size() == 1) {
            return addTo(imageId, data, expectedSize, options);
        }
        IdLocks.Held held;
        try {
            held = IdLocks.acquire(imageId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreIOException("Cannot add image " + ImageIds.quote(imageId) + " to store " + name()
                    + ": interrupted while waiting for another add of the same id", e);
        }
        try (held) {
            return addTo(imageId, data, expectedSize, options);
        }
    }

    private AddResult addTo(String imageId, InputStream data, long expectedSize, AddOptions options) {
        for (Directory directory : directories) {
            Path existing = directory.real().resolve(imageId);
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw new DuplicateObjectException("Cannot add " + uri(existing) + ": the object already exists");
            }
        }
        Directory directory = choose(imageId, expectedSize);
        Path target = directory.real().resolve(imageId);
        URI uri = uri(target);
        String where = uri.toString();

        TempFiles.TempFile temp;
        try {
            temp = TempFiles.create(ops, directory.real(), imageId, tempAttributes);
        } catch (IOException e) {
            throw writeError(where, "cannot create a temp file in " + directory.real(), e);
        }
        AddResult result;
        try {
            HashingInputStream hashing = new HashingInputStream(
                    new SizeEnforcingInputStream(data, expectedSize, where), options.hashAlgorithm());
            long written = write(temp.channel(), hashing, where);
            try {
                if (filePermissions != null) {
                    Files.setPosixFilePermissions(temp.path(), filePermissions);
                }
                if (settings.fsync()) {
                    temp.channel().force(true); // data, size and the permissions just set
                }
            } catch (IOException e) {
                throw writeError(where, "cannot finish the temp file " + temp.path(), e);
            }
            publish(temp.path(), target, where);
            if (directories.size() > 1) {
                undoIfAddedElsewhere(imageId, directory, target, where);
            }
            result = new AddResult(Location.of(uri, name(), directory.metadata()), written, hashing.md5Hex(),
                    hashing.multihash());
        } catch (RuntimeException | Error e) {
            closeQuietly(temp, e);
            throw e;
        }
        try {
            temp.close();
        } catch (IOException e) {
            // the object is in place; a temp name that could not be removed is swept at the next start
            LOG.log(Level.WARNING, () -> "Cannot remove temp file " + temp.path() + " after adding " + where + ": "
                    + e);
        }
        if (settings.fsync()) {
            syncDirectory(directory.real());
        }
        return result;
    }

    /** Gives the finished temp file its final name; never replaces an existing object. */
    private void publish(Path temp, Path target, String where) {
        try {
            if (atomicCreate) {
                ops.link(target, temp);
            } else {
                // no hard links on this file system: the JDK checks the target, then renames (not atomic)
                Files.move(temp, target);
            }
        } catch (FileAlreadyExistsException e) {
            throw new DuplicateObjectException("Cannot add " + where + ": the object already exists (another add of"
                    + " the same id finished first)", e);
        } catch (IOException e) {
            throw writeError(where, "cannot give the temp file its final name", e);
        }
    }

    /** Several directories: a concurrent add in another process may have put the id elsewhere; then neither keeps it. */
    private void undoIfAddedElsewhere(String imageId, Directory chosen, Path target, String where) {
        for (Directory other : directories) {
            if (other == chosen) {
                continue;
            }
            Path elsewhere = other.real().resolve(imageId);
            if (Files.exists(elsewhere, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException e) {
                    throw new StoreIOException("Cannot add " + where + ": the object was added to " + uri(elsewhere)
                            + " at the same time, and removing this copy failed: " + reason(e), e);
                }
                throw new DuplicateObjectException("Cannot add " + where + ": the object was added to "
                        + uri(elsewhere) + " at the same time");
            }
        }
    }

    private long write(FileChannel channel, InputStream source, String where) {
        byte[] buffer = new byte[settings.chunkSize()];
        long position = 0;
        boolean endsInHole = false;
        while (true) {
            int n = fill(source, buffer, where, position);
            if (n <= 0) {
                break;
            }
            if (zeros != null && Arrays.mismatch(buffer, 0, n, zeros, 0, n) < 0) {
                position += n; // leave a hole
                endsInHole = true;
                continue;
            }
            writeFully(channel, ByteBuffer.wrap(buffer, 0, n), position, where);
            position += n;
            endsInHole = false;
        }
        if (endsInHole) {
            // a file cannot be extended without writing: the last byte (zero) sets the length
            writeFully(channel, ByteBuffer.wrap(new byte[1]), position - 1, where);
        }
        return position;
    }

    /** Reads until the buffer is full or the data ends; returns the count, or -1 at the end. */
    private static int fill(InputStream source, byte[] buffer, String where, long position) {
        int filled = 0;
        try {
            while (filled < buffer.length) {
                int n = source.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (IOException e) {
            throw new StoreIOException("Cannot add " + where + ": reading the data failed after "
                    + (position + filled) + " bytes: " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
        return filled == 0 ? -1 : filled;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position, String where) {
        long at = position;
        try {
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw writeError(where, "writing at byte " + at + " failed", e);
        }
    }

    private Directory choose(String imageId, long expectedSize) {
        List<String> seen = new ArrayList<>();
        for (List<Directory> group : byPriority) {
            Directory best = null;
            long bestFree = -1;
            for (Directory directory : group) {
                long free;
                try {
                    free = ops.usableSpace(directory.fileSystem(), directory.real());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, () -> "Store " + name() + ": cannot read the free space of "
                            + directory.real() + ", skipping it: " + e);
                    seen.add(directory.real() + " (free space unknown)");
                    continue;
                }
                seen.add(directory.real() + " (" + free + " bytes free)");
                boolean fits = expectedSize == UNKNOWN_SIZE ? free > 0 : free >= expectedSize;
                if (fits && free > bestFree) {
                    best = directory;
                    bestFree = free;
                }
            }
            if (best != null) {
                return best;
            }
        }
        throw new StorageFullException("Cannot add image " + ImageIds.quote(imageId) + " to store " + name() + ": "
                + (expectedSize == UNKNOWN_SIZE ? "no data directory has free space"
                : "no data directory has room for " + expectedSize + " bytes") + ": " + String.join(", ", seen));
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        requireNonNull(range, "range is null");
        Target target = target(location);
        FileChannel channel = openForRead(target, "read");
        try {
            long size = channel.size();
            long length = range.within(size, target.uri().toString());
            return new FileRangeInputStream(channel, range.offset(), length, target.uri(), settings.chunkSize());
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new StoreIOException("Cannot read " + target.uri() + ": " + reason(io), io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public long transferTo(Location location, WritableByteChannel out) {
        requireNonNull(out, "target is null");
        if (out instanceof SelectableChannel selectable && !selectable.isBlocking()) {
            throw new IllegalArgumentException("target channel must be in blocking mode");
        }
        Target target = target(location);
        try (FileChannel channel = openForRead(target, "read")) {
            long size = channel.size();
            long position = 0;
            while (position < size) {
                long n = channel.transferTo(position, size - position, out);
                if (n == 0 && channel.size() <= position) {
                    throw new StoreIOException("Cannot read " + target.uri() + ": the file ended at byte " + position
                            + ", expected " + size + " (was it truncated while being read?)");
                }
                position += n;
            }
            return position;
        } catch (java.nio.channels.NonWritableChannelException e) {
            throw new IllegalArgumentException("target channel is not open for writing", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot read " + target.uri() + ": copying to the target channel failed: "
                    + reason(e), e);
        }
    }

    @Override
    public long size(Location location) {
        Target target = target(location);
        return attributes(target, "get the size of").size();
    }

    @Override
    public void delete(Location location) {
        Target target = target(location);
        attributes(target, "delete");
        try {
            Files.delete(target.path());
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("Cannot delete " + target.uri() + ": no such object", e);
        } catch (IOException e) {
            throw writeError(target.uri().toString(), "cannot remove the file", e, "delete");
        }
        if (settings.fsync()) {
            syncDirectory(target.directory().real());
        }
    }

    @Override
    public Optional<Location> find(String imageId) {
        checkOpen();
        ImageIds.requireValid(imageId);
        for (Directory directory : directories) {
            Path candidate = directory.real().resolve(imageId);
            if (Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(Location.of(uri(candidate), name(), directory.metadata()));
            }
        }
        return Optional.empty();
    }

    @Override
    public Location location(URI uri) {
        Target target = target(uri);
        return Location.of(target.uri(), name(), target.directory().metadata());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LOG.log(Level.DEBUG, () -> "Closed " + this);
        }
    }

    @Override
    public String toString() {
        return "FileStore[" + name() + ": " + directories.stream()
                .map(directory -> directory.real() + ":" + directory.priority()).collect(Collectors.joining(","))
                + "]";
    }

    // ------------------------------------------------------------------------------------------------ locations

    /** A location resolved to a data directory and the file of one image id there. */
    record Target(Directory directory, String imageId, Path path, URI uri) {
    }

    private Target target(Location location) {
        requireNonNull(location, "location is null");
        return target(location.uri());
    }

    /**
     * Checks a URI of this store (rule S9): scheme {@code file} or {@code filesystem}, no user info, host, port, query
     * or fragment, an absolute normalised path whose parent is a data directory and whose name is a valid image id.
     */
    private Target target(URI uri) {
        requireNonNull(uri, "uri is null");
        checkOpen();
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": the URI has no scheme (expected file:///<path>)");
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals(SCHEME) && !lower.equals(LEGACY_SCHEME)) {
            throw new UnknownSchemeException("Cannot use location " + Location.redact(uri) + ": store " + name()
                    + " handles schemes " + SCHEME + " and " + LEGACY_SCHEME + ", not " + scheme);
        }
        String authority = uri.getRawAuthority();
        // an authority the JDK cannot parse as user@host:port keeps its user info inside a registry-based authority
        if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": a location must not carry credentials (user info in the URI)");
        }
        if (uri.isOpaque()) {
            throw invalid(uri, "expected file:///<absolute path>");
        }
        if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
            // the host only: what the JDK takes for the authority may be the start of a secret that holds '/'
            throw invalid(uri, (uri.getHost() != null ? "it names host '" + uri.getHost() + "'" : "it names a host")
                    + "; file locations are local paths (file:///<absolute path>)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(uri, "a file location has no query or fragment");
        }
        String text = uri.getPath();
        if (text == null || text.isEmpty() || !text.startsWith("/")) {
            throw invalid(uri, "expected an absolute path (file:///<path>)");
        }
        if (text.endsWith("/")) {
            throw invalid(uri, "the path ends with '/', it names a directory, not an image file");
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw invalid(uri, "not a valid path: " + e.getReason());
        }
        if (!path.isAbsolute() || !path.normalize().equals(path)) {
            throw invalid(uri, "the path must be absolute and hold no '.' or '..' segments");
        }
        Path name = path.getFileName();
        Path parent = path.getParent();
        if (name == null || parent == null) {
            throw invalid(uri, "the path names no file");
        }
        String imageId = name.toString();
        if (!ImageIds.isValid(imageId)) {
            throw invalid(uri, "the file name " + ImageIds.quote(imageId) + " is not a valid image id");
        }
        Directory directory = byPath.get(parent);
        if (directory == null) {
            throw invalid(uri, "it is not in a data directory of store " + name() + " (" + directories.stream()
                    .map(d -> d.real().toString()).collect(Collectors.joining(", ")) + ")");
        }
        Path file = directory.real().resolve(imageId);
        return new Target(directory, imageId, file, uri(file));
    }

    private static InvalidLocationException invalid(URI uri, String reason) {
        return new InvalidLocationException("Cannot use location " + Location.redact(uri) + ": " + reason);
    }

    /** {@code file:///<path>}, percent-encoding what the path needs. */
    static URI uri(Path file) {
        try {
            return new URI(SCHEME, "", file.toString(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot make a URI of " + file, e);
        }
    }

    /**
     * The file's attributes after checking that the name resolves to itself: a symbolic link (which this store never
     * makes) could lead out of the data directory, so it is refused rather than followed.
     */
    private BasicFileAttributes attributes(Target target, String verb) {
        String where = target.uri().toString();
        try {
            Path real = target.path().toRealPath();
            if (!real.equals(target.path())) {
                throw new InvalidLocationException("Cannot " + verb + " " + where + ": "
                        + (real.startsWith(target.directory().real()) ? "it is a symbolic link"
                        : "it resolves outside data directory " + target.directory().real())
                        + "; the store does not follow links");
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new ObjectNotFoundException("Cannot " + verb + " " + where + ": no such object (the name is"
                        + " taken by something that is not a regular file)");
            }
            return attributes;
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("Cannot " + verb + " " + where + ": no such object", e);
        } catch (AccessDeniedException e) {
            throw new ForbiddenException("Cannot " + verb + " " + where + ": permission denied", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot " + verb + " " + where + ": " + reason(e), e);
        }
    }

    private FileChannel openForRead(Target target, String verb) {
        attributes(target, verb);
        try {
            return FileChannel.open(target.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("Cannot " + verb + " " + target.uri() + ": no such object", e);
        } catch (AccessDeniedException e) {
            throw new ForbiddenException("Cannot " + verb + " " + target.uri() + ": permission denied", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot " + verb + " " + target.uri() + ": " + reason(e), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreClosedException("Cannot use store " + name() + ": it is closed");
        }
    }

    private void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the data itself was forced already
            LOG.log(Level.DEBUG, () -> "Cannot sync directory " + directory + ": " + e);
        }
    }

    private static void closeQuietly(TempFiles.TempFile temp, Throwable failure) {
        try {
            temp.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    static StoreException writeError(String where, String what, IOException e) {
        return writeError(where, what, e, "add");
    }

    /** Translates a write failure once, here: full disk, refused write, interrupt, or other I/O error. */
    static StoreException writeError(String where, String what, IOException e, String verb) {
        String reason = reason(e);
        String message = "Cannot " + verb + " " + where + ": " + what + ": ";
        if (e instanceof AccessDeniedException) {
            return new WriteDeniedException(message + "permission denied", e);
        }
        if (e instanceof ClosedByInterruptException) {
            return new StoreIOException(message + "interrupted", e);
        }
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")
                || lower.contains("file too large")) {
            return new StorageFullException(message + reason, e);
        }
        if (lower.contains("read-only file system") || lower.contains("operation not permitted")
                || lower.contains("permission denied")) {
            return new WriteDeniedException(message + reason, e);
        }
        return new StoreIOException(message + reason, e);
    }

    /** The OS reason of a file-system error without repeating the path in front of it. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
