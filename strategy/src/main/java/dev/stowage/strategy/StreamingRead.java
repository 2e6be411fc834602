package dev.stowage.strategy;

import dev.stowage.api.Location;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The streaming read {@link DirectAccess} falls back to: opens the whole image from the given locations (in the order
 * given). A registry client wires this to its API download; a process with {@code Stores} passes
 * {@code stores::open}. The caller of {@code open} closes the stream.
 */
@FunctionalInterface
public interface StreamingRead {
    InputStream open(List<Location> locations) throws IOException;
}
