package dev.stowage.s3;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.Location;
import dev.stowage.spi.Store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.WritableByteChannel;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A forwarding store that shows the {@link SuiteWatch} every error leaving the S3 store (from its methods and from
 * the streams it returns) and the text of what it returns (locations, add results, {@code toString()}), then passes
 * the result or the very same error on unchanged.
 */
final class WatchedStore implements Store {
    private final Store store;
    private final SuiteWatch watch;

    WatchedStore(Store store, SuiteWatch watch) {
        this.store = requireNonNull(store, "store is null");
        this.watch = requireNonNull(watch, "watch is null");
        watch.shown("store toString", store.toString());
    }

    private <T> T watched(Supplier<T> call) {
        try {
            T result = call.get();
            if (result instanceof AddResult || result instanceof Location) {
                watch.shown("result", result.toString());
            }
            return result;
        } catch (RuntimeException | Error e) {
            watch.error(e);
            throw e;
        }
    }

    private void watched(Runnable call) {
        watched(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public String type() {
        return store.type();
    }

    @Override
    public Set<Capability> capabilities() {
        return watched(store::capabilities);
    }

    @Override
    public Map<String, String> metadata() {
        return store.metadata();
    }

    @Override
    public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
        return watched(() -> store.add(imageId, data, expectedSize, options));
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        return new Watched(watched(() -> store.get(location, range)));
    }

    @Override
    public long size(Location location) {
        return watched(() -> store.size(location));
    }

    @Override
    public void delete(Location location) {
        watched(() -> store.delete(location));
    }

    @Override
    public Optional<Location> find(String imageId) {
        Optional<Location> found = watched(() -> store.find(imageId));
        found.ifPresent(location -> watch.shown("result", location.toString()));
        return found;
    }

    @Override
    public Location location(URI uri) {
        return watched(() -> store.location(uri));
    }

    @Override
    public long transferTo(Location location, WritableByteChannel target) {
        return watched(() -> store.transferTo(location, target));
    }

    @Override
    public void close() {
        watched(store::close);
    }

    @Override
    public String toString() {
        String text = store.toString();
        watch.shown("store toString", text);
        return text;
    }

    /** The store's stream, with its errors shown to the watch. */
    private final class Watched extends FilterInputStream {
        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException | RuntimeException e) {
                watch.error(e);
                throw e;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (IOException | RuntimeException e) {
                watch.error(e);
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException | RuntimeException e) {
                watch.error(e);
                throw e;
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return in.available();
            } catch (IOException | RuntimeException e) {
                watch.error(e);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                watch.error(e);
                throw e;
            }
        }
    }
}
