package dev.stowage.testing;

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
import dev.stowage.api.StoreIOException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.spi.HashingInputStream;
import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.SizeEnforcingInputStream;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reference driver for tests: objects live in memory, in a namespace shared by every store with the same
 * {@code namespace} option (so a test can reopen "the same" backend). Type {@code memory}, scheme {@code memory}.
 * Locations look like {@code memory://<namespace>/<image id>}. Keeps every rule of the store contract; it is what the
 * conformance kit tests itself against.
 */
public final class InMemoryStoreDriver implements StoreDriver {
    public static final Option<String> NAMESPACE = Option.builder("namespace", OptionType.STRING)
            .defaultValue("default").description("Objects are shared by stores with the same namespace").build();
    public static final Option<String> ACCESS_KEY = Option.builder("access-key", OptionType.STRING)
            .secret().description("A secret that must never appear anywhere (for secret-handling tests)").build();
    public static final Option<Integer> FAIL_ADDS_AFTER = Option.builder("fail-adds-after", OptionType.INT)
            .defaultValue(-1).description("When >= 0, every add fails after reading this many bytes (fault tests)")
            .build();

    private static final ConcurrentMap<String, ConcurrentMap<String, byte[]>> NAMESPACES = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public List<Option<?>> options() {
        return List.of(NAMESPACE, ACCESS_KEY, FAIL_ADDS_AFTER);
    }

    @Override
    public Store create(StoreConfig config) {
        String namespace = config.get(NAMESPACE);
        return new InMemoryStore(config.storeName(), namespace,
                NAMESPACES.computeIfAbsent(namespace, key -> new ConcurrentHashMap<>()), config.get(FAIL_ADDS_AFTER));
    }

    /** Objects held in a namespace, for tests that look behind the store. */
    public static Map<String, byte[]> objects(String namespace) {
        return NAMESPACES.computeIfAbsent(namespace, key -> new ConcurrentHashMap<>());
    }

    static final class InMemoryStore implements Store {
        private final String name;
        private final String namespace;
        private final ConcurrentMap<String, byte[]> objects;
        private final int failAddsAfter;
        private final AtomicBoolean closed = new AtomicBoolean();

        InMemoryStore(String name, String namespace, ConcurrentMap<String, byte[]> objects, int failAddsAfter) {
            this.name = name;
            this.namespace = namespace;
            this.objects = objects;
            this.failAddsAfter = failAddsAfter;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String type() {
            return "memory";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE, Capability.DELETE,
                    Capability.ATOMIC_CREATE);
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
            checkOpen();
            ImageIds.requireValid(imageId);
            URI uri = uri(imageId);
            if (objects.containsKey(imageId)) {
                throw new DuplicateObjectException("Cannot add " + uri + ": the object already exists");
            }
            HashingInputStream hashing = new HashingInputStream(
                    new SizeEnforcingInputStream(data, expectedSize, uri.toString()), options.hashAlgorithm());
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                int n;
                while ((n = hashing.read(chunk)) >= 0) {
                    buffer.write(chunk, 0, n);
                    if (failAddsAfter >= 0 && buffer.size() > failAddsAfter) {
                        throw new StoreIOException("Cannot add " + uri + ": injected failure after "
                                + failAddsAfter + " bytes");
                    }
                }
            } catch (IOException e) {
                throw new StoreIOException("Cannot add " + uri + ": reading the data failed: " + e.getMessage(), e);
            }
            if (objects.putIfAbsent(imageId, buffer.toByteArray()) != null) {
                throw new DuplicateObjectException("Cannot add " + uri + ": the object already exists");
            }
            return new AddResult(Location.of(uri, name, metadata()), hashing.count(), hashing.md5Hex(),
                    hashing.multihash());
        }

        @Override
        public InputStream get(Location location, ByteRange range) {
            byte[] object = object(location);
            long length = range.within(object.length, location.uri().toString());
            return new ClosingStream(new ByteArrayInputStream(object, (int) range.offset(), (int) length),
                    location.uri());
        }

        @Override
        public long size(Location location) {
            return object(location).length;
        }

        @Override
        public void delete(Location location) {
            checkOpen();
            String id = imageId(location.uri());
            if (objects.remove(id) == null) {
                throw new ObjectNotFoundException("Cannot delete " + location.uri() + ": no such object");
            }
        }

        @Override
        public java.util.Optional<Location> find(String imageId) {
            checkOpen();
            ImageIds.requireValid(imageId);
            return objects.containsKey(imageId) ? java.util.Optional.of(Location.of(uri(imageId), name, metadata()))
                    : java.util.Optional.empty();
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

        private byte[] object(Location location) {
            checkOpen();
            byte[] object = objects.get(imageId(location.uri()));
            if (object == null) {
                throw new ObjectNotFoundException("Cannot read " + location.uri() + ": no such object");
            }
            return object;
        }

        private URI uri(String imageId) {
            return URI.create("memory://" + namespace + "/" + imageId);
        }

        private String imageId(URI uri) {
            if (!"memory".equalsIgnoreCase(uri.getScheme())) {
                throw new UnknownSchemeException("Cannot use location " + Location.redact(uri) + ": store " + name
                        + " handles scheme memory, not " + uri.getScheme());
            }
            if (uri.getRawUserInfo() != null) {
                throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                        + ": a location must not carry credentials");
            }
            if (!namespace.equals(uri.getHost()) || uri.getPath() == null || !uri.getPath().startsWith("/")
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new InvalidLocationException("Cannot use location " + uri + ": expected memory://" + namespace
                        + "/<image id>");
            }
            String id = uri.getPath().substring(1);
            if (!ImageIds.isValid(id)) {
                throw new InvalidLocationException("Cannot use location " + uri + ": "
                        + "the path is not a valid image id " + ImageIds.quote(id));
            }
            return id;
        }

        private void checkOpen() {
            if (closed.get()) {
                throw new StoreClosedException("Cannot use store " + name + ": it is closed");
            }
        }
    }

    /** A stream that throws once closed. */
    static final class ClosingStream extends java.io.FilterInputStream {
        private final URI uri;
        private boolean closed;

        ClosingStream(InputStream in, URI uri) {
            super(in);
            this.uri = uri;
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }

        private void check() throws IOException {
            if (closed) {
                throw new IOException("Cannot read " + uri + ": the stream is closed");
            }
        }
    }
}
