package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.api.Multihash;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How {@link DirectAccess} delivered an image: {@link Method#DIRECT} (copied from a locally mounted file) or
 * {@link Method#STREAMED} (through the fallback), the verified size and multihash, and for each location that was not
 * copied directly, why.
 */
public final class CopyResult {
    /** The way the bytes came. */
    public enum Method {
        /** Copied from the local mount with {@code FileChannel.transferTo}. */
        DIRECT,
        /** Read through the streaming fallback. */
        STREAMED
    }

    /** A location that was not copied directly, and why (no mount, refused path, failed or mismatched copy). */
    public record Skipped(Location location, String reason) {
        public Skipped {
            requireNonNull(location, "location is null");
            requireNonNull(reason, "reason is null");
        }
    }

    private final Method method;
    private final Location location;
    private final Path source;
    private final long size;
    private final Multihash multihash;
    private final List<Skipped> skipped;

    private CopyResult(Method method, Location location, Path source, long size, Multihash multihash,
                       List<Skipped> skipped) {
        this.method = method;
        this.location = location;
        this.source = source;
        this.size = size;
        this.multihash = requireNonNull(multihash, "multihash is null");
        this.skipped = List.copyOf(skipped);
    }

    static CopyResult direct(Location location, Path source, long size, Multihash multihash, List<Skipped> skipped) {
        return new CopyResult(Method.DIRECT, requireNonNull(location, "location is null"),
                requireNonNull(source, "source is null"), size, multihash, skipped);
    }

    static CopyResult streamed(long size, Multihash multihash, List<Skipped> skipped) {
        return new CopyResult(Method.STREAMED, null, null, size, multihash, skipped);
    }

    public Method method() {
        return method;
    }

    /** The location that was copied directly; empty when streamed. */
    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }

    /** The local file the bytes were copied from (the rewritten path); empty when streamed. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** Bytes delivered, equal to the expected size. */
    public long size() {
        return size;
    }

    /** The multihash computed from the delivered bytes, equal to the expected one. */
    public Multihash multihash() {
        return multihash;
    }

    /** The locations not copied directly, in the order they were considered, with the reason. */
    public List<Skipped> skipped() {
        return skipped;
    }

    @Override
    public String toString() {
        return method == Method.DIRECT
                ? "copied directly from " + source + " (" + location.uri() + "), " + size + " bytes, " + multihash
                : "streamed, " + size + " bytes, " + multihash + ", skipped " + skipped;
    }
}
