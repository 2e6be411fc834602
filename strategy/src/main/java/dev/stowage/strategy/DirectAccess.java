package dev.stowage.strategy;

import dev.stowage.api.AllLocationsFailedException;
import dev.stowage.api.ChecksumMismatchException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ExpectedContent;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StoreIOException;
import dev.stowage.strategy.CopyResult.Skipped;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Copies an image straight from a shared file system mounted on this machine, and streams it when that is not
 * possible (the "HTTP GET-outta here" path of a client such as a compute node).
 *
 * <p>For each location, in the order given (order them first with a {@link LocationOrdering}), the {@link MountTable}
 * decides whether it is a {@code file:} location of a locally mounted file system and rewrites its path. The first
 * such location whose file is present, stays inside the local mountpoint once symbolic links are resolved, has the
 * expected size and copies with the expected multihash is used: the bytes move with
 * {@link FileChannel#transferTo(long, long, WritableByteChannel)}, so that into a file (the {@link Path} form, or a
 * {@link FileChannel}) they need not pass through the Java heap. When no
 * location qualifies, or every direct attempt fails, the whole list goes to the {@link StreamingRead} fallback. Either
 * way the size and multihash are verified, the result says which way was used ({@link CopyResult#method()}) and why
 * each location was not copied directly ({@link CopyResult#skipped()}), and one log line at {@code INFO} says
 * {@code copied directly from ...} or {@code streamed from ...}.
 *
 * <p>Verification and destinations:
 * <ul>
 *   <li>Into a {@link Path}: the bytes go to a temporary file beside the destination, which a second thread reads
 *       back and hashes while the copy is transferred and flushed to the device (so what is verified is what was
 *       written, and verifying costs little more time than copying); then it is moved into place atomically. The
 *       destination appears only complete and verified; after a failure nothing is left. The destination must not
 *       exist.</li>
 *   <li>Into a {@link WritableByteChannel}: a direct copy first reads the source once to compute its multihash, and
 *       transfers it only when that matches, so a corrupt source never reaches the channel (stored images are
 *       immutable; a file rewritten between the two reads would go unnoticed). If the transfer itself
 *       fails part way (a write into the channel failed, or its position did not advance by the size), a
 *       {@link SeekableByteChannel} is truncated to its former size and rewound to where it was, and the next location
 *       (or the stream) writes the image again; any other channel cannot be rewound, and the copy fails with a
 *       {@link StoreIOException}. Streamed bytes are written as they arrive and verified at the end; a mismatch
 *       fails the copy, and the caller discards what the channel received.</li>
 * </ul>
 * Hashing costs one extra read of the image in both cases (of the copy, alongside the transfer; or of the source,
 * before it); the copy itself saves the network transfer and the heap copies of a stream.
 *
 * <p>Immutable and safe for concurrent use. Errors are {@link dev.stowage.api.StoreException}s: those of the fallback
 * pass through unchanged; a streamed image of the wrong size or multihash fails with {@link SizeMismatchException} or
 * {@link ChecksumMismatchException}; an empty location list with {@link AllLocationsFailedException}.
 */
public final class DirectAccess {
    private static final System.Logger LOG = System.getLogger(DirectAccess.class.getName());
    private static final int BUFFER_SIZE = 256 * 1024;
    /** Bytes transferred between two reports to the hash that follows the copy. */
    private static final long FOLLOWED_CHUNK = 8L << 20;

    private final MountTable mounts;
    private final StreamingRead fallback;

    private DirectAccess(MountTable mounts, StreamingRead fallback) {
        this.mounts = requireNonNull(mounts, "mounts is null");
        this.fallback = requireNonNull(fallback, "fallback is null");
    }

    /** Direct access through {@code mounts}, streaming through {@code fallback} when a location cannot be copied. */
    public static DirectAccess create(MountTable mounts, StreamingRead fallback) {
        return new DirectAccess(mounts, fallback);
    }

    public MountTable mounts() {
        return mounts;
    }

    /**
     * Copies the image into a new file {@code destination}, directly when one of {@code locations} is on a locally
     * mounted file system, else by streaming. See the class comment.
     *
     * @param expectedSize      the image's size as the registry recorded it (glance's {@code size})
     * @param expectedMultihash the image's multihash as recorded ({@code os_hash_algo}, {@code os_hash_value}); the
     *                          copy is hashed with its algorithm
     * @throws DuplicateObjectException when {@code destination} exists
     * @throws StoreIOException         when the destination cannot be written
     */
    public CopyResult copy(List<Location> locations, long expectedSize, Multihash expectedMultihash,
                           Path destination) {
        List<Location> candidates = Checks.copyOf(locations);
        Expected expected = new Expected(expectedSize, expectedMultihash);
        requireNonNull(destination, "destination is null");
        if (candidates.isEmpty()) {
            throw new AllLocationsFailedException(List.of());
        }
        Path target = destination.toAbsolutePath().normalize();
        Path directory = target.getParent();
        if (directory == null) {
            throw new StoreIOException("Cannot copy image to " + target + ": not a file path");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new DuplicateObjectException("Cannot copy image to " + target + ": the file exists");
        }
        Path temp = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new StoreIOException("Cannot copy image to " + target + ": cannot create a file in " + directory
                    + ": " + e, e);
        }
        boolean moved = false;
        try {
            List<Skipped> skipped = new ArrayList<>();
            for (Location location : candidates) {
                MountTable.Resolution resolution = mounts.resolve(location);
                if (resolution.path() == null) {
                    skip(skipped, location, resolution.reason(), resolution.refused());
                    continue;
                }
                try {
                    Path source = checkedSource(resolution, expected);
                    Multihash copied;
                    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                         FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE,
                                 StandardOpenOption.TRUNCATE_EXISTING);
                         FollowingHash verify = FollowingHash.start(temp, expected.multihash().algorithm(),
                                 expected.size())) {
                        // the copy is read back and hashed while the rest is transferred and flushed
                        transferFully(in, out, expected.size(), FOLLOWED_CHUNK, verify::advance);
                        out.force(true);
                        copied = verify.await();
                    }
                    if (!copied.equals(expected.multihash())) {
                        throw new DirectCopyFailure("the copy's multihash " + copied + " is not the expected "
                                + expected.multihash(), null);
                    }
                } catch (DirectCopyFailure e) {
                    skip(skipped, location, e.getMessage(), true);
                    continue;
                } catch (IOException e) {
                    skip(skipped, location, "direct copy failed: " + e, true);
                    continue;
                }
                moveInto(temp, target);
                moved = true;
                LOG.log(Level.INFO, () -> "copied directly from " + resolution.path() + " (" + location.uri()
                        + ") to " + target + ", " + expected.size() + " bytes, " + expected.multihash());
                return CopyResult.direct(location, resolution.path(), expected.size(), expected.multihash(), skipped);
            }
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                stream(candidates, expected, out, target);
                out.force(true);
            } catch (IOException e) {
                throw new StoreIOException("Cannot copy image to " + target + ": " + e, e);
            }
            moveInto(temp, target);
            moved = true;
            logStreamed(candidates, target, expected, skipped);
            return CopyResult.streamed(expected.size(), expected.multihash(), skipped);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "Cannot remove the partial copy " + temp + ": " + e);
                }
            }
        }
    }

    /**
     * As {@link #copy(List, long, Multihash, Path)}, with the size and multihash from {@code expected} (for example
     * {@code ExpectedContent.of(addResult)}).
     *
     * @throws IllegalArgumentException when {@code expected} lacks the size or the multihash: both are verified
     */
    public CopyResult copy(List<Location> locations, ExpectedContent expected, Path destination) {
        return copy(locations, sizeOf(expected), multihashOf(expected), destination);
    }

    /**
     * As {@link #copy(List, long, Multihash, WritableByteChannel)}, with the size and multihash from {@code expected}.
     *
     * @throws IllegalArgumentException when {@code expected} lacks the size or the multihash: both are verified
     */
    public CopyResult copy(List<Location> locations, ExpectedContent expected, WritableByteChannel destination) {
        return copy(locations, sizeOf(expected), multihashOf(expected), destination);
    }

    private static long sizeOf(ExpectedContent expected) {
        requireNonNull(expected, "expected is null");
        return expected.size().orElseThrow(() -> new IllegalArgumentException("direct access verifies the size and"
                + " the multihash, but " + expected + " has no size"));
    }

    private static Multihash multihashOf(ExpectedContent expected) {
        return expected.multihash().orElseThrow(() -> new IllegalArgumentException("direct access verifies the size"
                + " and the multihash, but " + expected + " has no multihash"));
    }

    /**
     * Writes the image into {@code destination}, directly when one of {@code locations} is on a locally mounted file
     * system, else by streaming. The caller keeps ownership of the channel. See the class comment for what a failure
     * leaves in the channel.
     *
     * @param expectedSize      the image's size as the registry recorded it
     * @param expectedMultihash the image's multihash as recorded; the copy is hashed with its algorithm
     */
    public CopyResult copy(List<Location> locations, long expectedSize, Multihash expectedMultihash,
                           WritableByteChannel destination) {
        List<Location> candidates = Checks.copyOf(locations);
        Expected expected = new Expected(expectedSize, expectedMultihash);
        requireNonNull(destination, "destination is null");
        if (candidates.isEmpty()) {
            throw new AllLocationsFailedException(List.of());
        }
        String target = "the destination channel";
        List<Skipped> skipped = new ArrayList<>();
        for (Location location : candidates) {
            MountTable.Resolution resolution = mounts.resolve(location);
            if (resolution.path() == null) {
                skip(skipped, location, resolution.reason(), resolution.refused());
                continue;
            }
            try (FileChannel in = FileChannel.open(checkedSource(resolution, expected), StandardOpenOption.READ)) {
                Multihash source = hash(in, expected.multihash().algorithm(), expected.size());
                if (!source.equals(expected.multihash())) {
                    throw new DirectCopyFailure("the file's multihash " + source + " is not the expected "
                            + expected.multihash(), null);
                }
                long start = destination instanceof SeekableByteChannel seekable ? seekable.position() : -1;
                long startSize = start >= 0 ? ((SeekableByteChannel) destination).size() : -1;
                try {
                    if (destination instanceof FileChannel) {
                        transferFully(in, destination, expected.size(), Long.MAX_VALUE, position -> { });
                    } else {
                        // FileChannel.transferTo hides a failed write into another kind of channel when earlier
                        // writes of the same call succeeded; watch the writes so such a failure is not missed
                        WatchedChannel watched = new WatchedChannel(destination);
                        transferFully(in, watched, expected.size(), Long.MAX_VALUE, position -> { });
                        watched.rethrowFailure();
                    }
                    if (start >= 0 && ((SeekableByteChannel) destination).position() != start + expected.size()) {
                        throw new IOException("the destination channel moved from " + start + " to "
                                + ((SeekableByteChannel) destination).position() + " for " + expected.size()
                                + " bytes");
                    }
                } catch (IOException e) {
                    if (start < 0) {
                        throw new StoreIOException("Cannot copy " + location.uri() + " directly from "
                                + resolution.path() + ": the copy failed after the destination channel received"
                                + " data, and it cannot be rewound: " + e, e);
                    }
                    try {
                        // drop what the failed copy appended, and go back to where it began
                        ((SeekableByteChannel) destination).truncate(Math.max(startSize, start)).position(start);
                    } catch (IOException rewind) {
                        rewind.addSuppressed(e);
                        throw new StoreIOException("Cannot copy " + location.uri() + " directly from "
                                + resolution.path() + ": the copy failed part way (" + e + "), and the destination"
                                + " channel cannot be rewound: " + rewind, rewind);
                    }
                    throw new DirectCopyFailure("direct copy failed (destination rewound to " + start + "): " + e, e);
                }
            } catch (DirectCopyFailure e) {
                skip(skipped, location, e.getMessage(), true);
                continue;
            } catch (IOException e) {
                skip(skipped, location, "direct copy failed: " + e, true);
                continue;
            }
            LOG.log(Level.INFO, () -> "copied directly from " + resolution.path() + " (" + location.uri() + ") to "
                    + target + ", " + expected.size() + " bytes, " + expected.multihash());
            return CopyResult.direct(location, resolution.path(), expected.size(), expected.multihash(), skipped);
        }
        stream(candidates, expected, destination, target);
        logStreamed(candidates, target, expected, skipped);
        return CopyResult.streamed(expected.size(), expected.multihash(), skipped);
    }

    private static void skip(List<Skipped> skipped, Location location, String reason, boolean notable) {
        skipped.add(new Skipped(location, reason));
        // a location that is simply not mounted here is routine; a refused path or a failed copy is worth a warning
        LOG.log(notable ? Level.WARNING : Level.DEBUG,
                () -> "not copying " + location.uri() + " directly: " + reason);
    }

    private static void logStreamed(List<Location> locations, Object target, Expected expected,
                                    List<Skipped> skipped) {
        LOG.log(Level.INFO, () -> "streamed from " + uris(locations) + " to " + target + ", " + expected.size()
                + " bytes, " + expected.multihash() + " (" + skipped.size() + " not copied directly)");
    }

    private static String uris(List<Location> locations) {
        return locations.stream().map(location -> location.uri().toString()).collect(Collectors.joining(", "));
    }

    /** The real path of the rewritten file, checked to stay inside the real local mountpoint and to have the size. */
    private static Path checkedSource(MountTable.Resolution resolution, Expected expected)
            throws IOException, DirectCopyFailure {
        Path real = resolution.path().toRealPath();
        Path realMount = resolution.mountpoint().toRealPath();
        if (!real.startsWith(realMount)) {
            throw new DirectCopyFailure(resolution.path() + " resolves to " + real
                    + ", outside the local mountpoint " + realMount, null);
        }
        if (!Files.isRegularFile(real)) {
            throw new DirectCopyFailure(resolution.path() + " is not a regular file", null);
        }
        long size = Files.size(real);
        if (size != expected.size()) {
            throw new DirectCopyFailure(resolution.path() + " has " + size + " bytes, expected " + expected.size(),
                    null);
        }
        return real;
    }

    /** Transfers {@code size} bytes in pieces of at most {@code chunk}, telling {@code progress} after each. */
    private static void transferFully(FileChannel in, WritableByteChannel out, long size, long chunk,
                                      LongConsumer progress) throws IOException {
        long position = 0;
        while (position < size) {
            long moved = in.transferTo(position, Math.min(chunk, size - position), out);
            if (moved <= 0) {
                throw new IOException("the copy stopped at byte " + position + " of " + size
                        + " (the file now has " + in.size() + " bytes)");
            }
            position += moved;
            progress.accept(position);
        }
        if (in.size() != size) {
            throw new IOException("the file changed size during the copy, to " + in.size() + " bytes");
        }
    }

    /** The multihash of the first {@code size} bytes of {@code in}, read by position (the channel's own is kept). */
    private static Multihash hash(FileChannel in, HashAlgorithm algorithm, long size) throws IOException {
        MessageDigest digest = algorithm.newDigest();
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER_SIZE, Math.max(size, 1)));
        long position = 0;
        while (position < size) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), size - position));
            int read = in.read(buffer, position);
            if (read < 0) {
                throw new IOException("the file ended at byte " + position + " of " + size);
            }
            buffer.flip();
            digest.update(buffer);
            position += read;
        }
        return Multihash.of(algorithm, digest.digest());
    }

    /** Reads the image through the fallback into {@code out}, verifying size and multihash. */
    private void stream(List<Location> locations, Expected expected, WritableByteChannel out, Object target) {
        String source = uris(locations);
        MessageDigest digest = expected.multihash().algorithm().newDigest();
        long count = 0;
        try (InputStream in = fallback.open(locations)) {
            if (in == null) {
                throw new StoreIOException("Cannot read image from " + source + ": the streaming fallback gave no"
                        + " stream");
            }
            byte[] buffer = new byte[BUFFER_SIZE];
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (count + read > expected.size()) {
                    throw new SizeMismatchException("Cannot read image from " + source + ": the stream has more than"
                            + " the expected " + expected.size() + " bytes");
                }
                digest.update(buffer, 0, read);
                write(out, ByteBuffer.wrap(buffer, 0, read), target);
                count += read;
            }
        } catch (IOException e) {
            throw new StoreIOException("Cannot read image from " + source + ": " + e, e);
        }
        if (count != expected.size()) {
            throw new SizeMismatchException("Cannot read image from " + source + ": the stream has " + count
                    + " bytes, expected " + expected.size());
        }
        Multihash streamed = Multihash.of(expected.multihash().algorithm(), digest.digest());
        if (!streamed.equals(expected.multihash())) {
            throw new ChecksumMismatchException("Cannot read image from " + source + ": the stream's multihash "
                    + streamed + " is not the expected " + expected.multihash());
        }
    }

    private static void write(WritableByteChannel out, ByteBuffer bytes, Object target) {
        try {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new StoreIOException("Cannot copy image to " + target + ": " + e, e);
        }
    }

    private static void moveInto(Path temp, Path target) {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new DuplicateObjectException("Cannot copy image to " + target + ": the file exists", e);
        } catch (IOException e) {
            throw new StoreIOException("Cannot copy image to " + target + ": " + e, e);
        }
    }

    /** The image's size and multihash as the registry recorded them; both are verified on every copy. */
    private record Expected(long size, Multihash multihash) {
        Expected {
            if (size < 0) {
                throw new IllegalArgumentException("expected size " + size + " is negative");
            }
            requireNonNull(multihash, "expected multihash is null");
        }
    }

    /** Passes writes on, remembering the first that failed. */
    private static final class WatchedChannel implements WritableByteChannel {
        private final WritableByteChannel target;
        private IOException failure;

        WatchedChannel(WritableByteChannel target) {
            this.target = target;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            try {
                return target.write(source);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }

        void rethrowFailure() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() {
            // the caller owns the target
        }
    }

    /** Why one location could not be copied directly; the copy goes on with the next location or the stream. */
    private static final class DirectCopyFailure extends Exception {
        private static final long serialVersionUID = 1L;

        DirectCopyFailure(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }

    @Override
    public String toString() {
        return "DirectAccess[" + mounts + "]";
    }
}
