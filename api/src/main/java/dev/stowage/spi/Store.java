package dev.stowage.spi;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.Location;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One configured backend (the store contract, rules S1-S14). Made by a {@link StoreDriver}; safe for concurrent
 * use (S12); every error is a {@link dev.stowage.api.StoreException} (S10).
 */
public interface Store extends AutoCloseable {
    /** The value of {@code expectedSize} when the size is not known up front. */
    long UNKNOWN_SIZE = -1;

    /** The configured name of this store, stamped on every location it makes. */
    String name();

    /** The driver type, e.g. {@code file}. */
    String type();

    /** What this store can do (S11). Stable for the life of the store. */
    Set<Capability> capabilities();

    /** Location metadata attached to every location this store makes (S14); empty when there is none. */
    Map<String, String> metadata();

    /**
     * Stores {@code data} under {@code imageId}, streaming (S1), and returns its location, size and digests (S2).
     * With a known {@code expectedSize}, a shorter or longer stream fails with a size error and leaves nothing (S3,
     * S4). An existing id fails with a duplicate error and leaves the existing object untouched (S5). The caller
     * keeps ownership of {@code data} and closes it.
     *
     * @param expectedSize the size in bytes, or {@link #UNKNOWN_SIZE}
     */
    AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options);

    /** Opens the bytes of {@code range} at {@code location} (S6). The caller closes the stream. */
    InputStream get(Location location, ByteRange range);

    /** The object's size in bytes (S7 when missing). */
    long size(Location location);

    /** Removes the object (S8); a missing object fails with a not-found error (S7). */
    void delete(Location location);

    /** Parses and validates a URI of this store's schemes into a location bound to this store (S9). */
    Location location(URI uri);

    /**
     * The location of the object stored under {@code imageId}, if this store has one; empty when it has none or when
     * the store cannot look objects up by id (the default). A caller that lost the result of an {@code add} (a crash
     * between the add and recording its location) uses it to find and remove what was written. An unsafe image id
     * fails as {@code add} would (S9).
     */
    default Optional<Location> find(String imageId) {
        dev.stowage.api.ImageIds.requireValid(imageId);
        return Optional.empty();
    }

    /**
     * Copies the whole object into {@code target} and returns the number of bytes copied. Stores that declare
     * {@link Capability#ZERO_COPY_TRANSFER} move the bytes without copying them through the heap. The caller keeps
     * ownership of {@code target}.
     */
    default long transferTo(Location location, WritableByteChannel target) {
        try (InputStream in = get(location, ByteRange.all())) {
            OutputStream out = Channels.newOutputStream(target);
            return in.transferTo(out);
        } catch (IOException e) {
            throw new dev.stowage.api.StoreIOException("Cannot read " + location.uri() + ": " + e.getMessage(), e);
        }
    }

    /** Releases clients and threads (S13). Idempotent; later calls fail with a store-closed error. */
    @Override
    void close();
}
