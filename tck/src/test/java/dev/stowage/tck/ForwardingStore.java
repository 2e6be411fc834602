package dev.stowage.tck;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.Location;
import dev.stowage.spi.Store;

import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/** Passes every call to another store; the kit's broken drivers override one method each to add one fault. */
class ForwardingStore implements Store {
    final Store delegate;
    /** The objects behind the delegate (the in-memory namespace), for faults that reach into the backend. */
    final Map<String, byte[]> objects;

    ForwardingStore(Store delegate, Map<String, byte[]> objects) {
        this.delegate = delegate;
        this.objects = objects;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Map<String, String> metadata() {
        return delegate.metadata();
    }

    @Override
    public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
        return delegate.add(imageId, data, expectedSize, options);
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        return delegate.get(location, range);
    }

    @Override
    public long size(Location location) {
        return delegate.size(location);
    }

    @Override
    public void delete(Location location) {
        delegate.delete(location);
    }

    @Override
    public Location location(URI uri) {
        return delegate.location(uri);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
