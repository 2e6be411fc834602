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
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.api.ServiceUnavailableException;
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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store for fault tests: type {@code faulty}, scheme {@code faulty}, locations {@code faulty://<namespace>/<id>}.
 * Objects live in the same namespaces as {@link InMemoryStoreDriver}'s ({@link InMemoryStoreDriver#objects}), so a test
 * can put one object and reach it as {@code memory://ns/id} and as {@code faulty://ns/id}. Faults are options:
 * <ul>
 *   <li>{@code dead}: every get and size fails with a service-unavailable error;</li>
 *   <li>{@code die-after}: every stream from get fails with an I/O error after delivering that many bytes;</li>
 *   <li>{@code range-read=false}: the store does not declare {@link Capability#RANGE_READ} and refuses ranges;</li>
 *   <li>{@code read-only}: no {@link Capability#WRITE};</li>
 *   <li>{@code fail-deletes}, {@code fail-close}: delete or close fail;</li>
 *   <li>{@code add-pause-millis}: add sleeps that long after each 64 KiB it reads (a slow store);</li>
 *   <li>{@code fail-adds-at-end}: add reads all the data, then fails;</li>
 *   <li>{@code fail-create}: {@code create} throws an exception whose message holds the secret {@code password}
 *       (for redaction tests).</li>
 * </ul>
 * Not registered in {@code META-INF/services}: tests pass it to {@code Stores.builder().driver(...)}.
 */
public final class FaultyStoreDriver implements StoreDriver {
    public static final Option<String> NAMESPACE = Option.builder("namespace", OptionType.STRING)
            .defaultValue("faulty").description("Shared with the in-memory driver's namespaces").build();
    public static final Option<Boolean> DEAD = Option.builder("dead", OptionType.BOOLEAN).defaultValue(false)
            .description("Every get and size fails").build();
    public static final Option<Long> DIE_AFTER = Option.builder("die-after", OptionType.BYTES).defaultValue(-1L)
            .description("Streams fail after delivering this many bytes (-1: never)").build();
    public static final Option<Boolean> RANGE_READ = Option.builder("range-read", OptionType.BOOLEAN)
            .defaultValue(true).description("Whether the store declares RANGE_READ").build();
    public static final Option<Boolean> READ_ONLY = Option.builder("read-only", OptionType.BOOLEAN)
            .defaultValue(false).description("Whether the store lacks WRITE").build();
    public static final Option<Boolean> FAIL_DELETES = Option.builder("fail-deletes", OptionType.BOOLEAN)
            .defaultValue(false).description("Every delete fails").build();
    public static final Option<Boolean> FAIL_CLOSE = Option.builder("fail-close", OptionType.BOOLEAN)
            .defaultValue(false).description("close() fails").build();
    public static final Option<Integer> ADD_PAUSE_MILLIS = Option.builder("add-pause-millis", OptionType.INT)
            .defaultValue(0).description("Pause after each 64 KiB read by add").build();
    public static final Option<Boolean> FAIL_ADDS_AT_END = Option.builder("fail-adds-at-end", OptionType.BOOLEAN)
            .defaultValue(false).description("add reads all the data, then fails").build();
    public static final Option<Boolean> FAIL_CREATE = Option.builder("fail-create", OptionType.BOOLEAN)
            .defaultValue(false).description("create() throws, naming the password").build();
    public static final Option<String> PASSWORD = Option.builder("password", OptionType.STRING).secret()
            .description("A secret that must never appear anywhere").build();

    private static final List<FaultyStore> CREATED = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return "faulty";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("faulty");
    }

    @Override
    public List<Option<?>> options() {
        return List.of(NAMESPACE, DEAD, DIE_AFTER, RANGE_READ, READ_ONLY, FAIL_DELETES, FAIL_CLOSE,
                ADD_PAUSE_MILLIS, FAIL_ADDS_AT_END, FAIL_CREATE, PASSWORD);
    }

    @Override
    public Store create(StoreConfig config) {
        if (config.get(FAIL_CREATE)) {
            throw new IllegalStateException("cannot log in to the backend with password "
                    + config.find(PASSWORD).orElse("(none)"));
        }
        FaultyStore store = new FaultyStore(config);
        CREATED.add(store);
        return store;
    }

    /** The stores this driver created with that namespace, in creation order. */
    public static List<FaultyStore> created(String namespace) {
        List<FaultyStore> found = new ArrayList<>();
        for (FaultyStore store : CREATED) {
            if (store.namespace.equals(namespace)) {
                found.add(store);
            }
        }
        return found;
    }

    /** A faulty store. */
    public static final class FaultyStore implements Store {
        private final String name;
        private final String namespace;
        private final Map<String, byte[]> objects;
        private final boolean dead;
        private final long dieAfter;
        private final boolean rangeRead;
        private final boolean readOnly;
        private final boolean failDeletes;
        private final boolean failClose;
        private final int addPauseMillis;
        private final boolean failAddsAtEnd;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong addProgress = new AtomicLong();
        private final List<ByteRange> gets = Collections.synchronizedList(new ArrayList<>());

        FaultyStore(StoreConfig config) {
            this.name = config.storeName();
            this.namespace = config.get(NAMESPACE);
            this.objects = InMemoryStoreDriver.objects(namespace);
            this.dead = config.get(DEAD);
            this.dieAfter = config.get(DIE_AFTER);
            this.rangeRead = config.get(RANGE_READ);
            this.readOnly = config.get(READ_ONLY);
            this.failDeletes = config.get(FAIL_DELETES);
            this.failClose = config.get(FAIL_CLOSE);
            this.addPauseMillis = config.get(ADD_PAUSE_MILLIS);
            this.failAddsAtEnd = config.get(FAIL_ADDS_AT_END);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String type() {
            return "faulty";
        }

        @Override
        public Set<Capability> capabilities() {
            EnumSet<Capability> capabilities = EnumSet.of(Capability.READ, Capability.DELETE);
            if (rangeRead) {
                capabilities.add(Capability.RANGE_READ);
            }
            if (!readOnly) {
                capabilities.add(Capability.WRITE);
            }
            return capabilities;
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
            checkOpen();
            if (readOnly) {
                throw new OperationNotSupportedException(Capability.WRITE, "Cannot add " + imageId + " to store "
                        + name + ": it is read-only");
            }
            ImageIds.requireValid(imageId);
            URI uri = uri(imageId);
            if (objects.containsKey(imageId)) {
                throw new DuplicateObjectException("Cannot add " + uri + ": the object already exists");
            }
            addProgress.set(0);
            HashingInputStream hashing = new HashingInputStream(
                    new SizeEnforcingInputStream(data, expectedSize, uri.toString()), options.hashAlgorithm());
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            try {
                int n;
                while ((n = hashing.readNBytes(chunk, 0, chunk.length)) > 0) {
                    buffer.write(chunk, 0, n);
                    addProgress.addAndGet(n);
                    if (addPauseMillis > 0) {
                        Thread.sleep(addPauseMillis);
                    }
                }
            } catch (IOException e) {
                throw new StoreIOException("Cannot add " + uri + ": reading the data failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreIOException("Cannot add " + uri + ": interrupted", e);
            }
            if (failAddsAtEnd) {
                throw new StoreIOException("Cannot add " + uri + ": injected failure at the end of the data");
            }
            if (objects.putIfAbsent(imageId, buffer.toByteArray()) != null) {
                throw new DuplicateObjectException("Cannot add " + uri + ": the object already exists");
            }
            return new AddResult(Location.of(uri, name, metadata()), hashing.count(), hashing.md5Hex(),
                    hashing.multihash());
        }

        @Override
        public InputStream get(Location location, ByteRange range) {
            checkOpen();
            gets.add(range);
            if (!rangeRead && !range.isAll()) {
                throw new OperationNotSupportedException(Capability.RANGE_READ, "Cannot read " + location.uri()
                        + ": store " + name + " does not support range reads");
            }
            byte[] object = object(location, "read");
            long length = range.within(object.length, location.uri().toString());
            InputStream in = new ByteArrayInputStream(object, (int) range.offset(), (int) length);
            return dieAfter < 0 ? in : new DyingStream(in, dieAfter, location.uri());
        }

        @Override
        public long size(Location location) {
            checkOpen();
            return object(location, "size").length;
        }

        @Override
        public void delete(Location location) {
            checkOpen();
            if (failDeletes) {
                throw new ServiceUnavailableException("Cannot delete " + location.uri() + ": injected failure");
            }
            if (objects.remove(imageId(location.uri())) == null) {
                throw new ObjectNotFoundException("Cannot delete " + location.uri() + ": no such object");
            }
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
            if (failClose) {
                throw new StoreIOException("Cannot close store " + name + ": injected failure");
            }
        }

        /** Whether {@link #close()} was called. */
        public boolean isClosed() {
            return closed.get();
        }

        /** Bytes the running (or last) add has read so far. */
        public long addProgress() {
            return addProgress.get();
        }

        /** The ranges asked of {@code get}, in order. */
        public List<ByteRange> gets() {
            synchronized (gets) {
                return List.copyOf(gets);
            }
        }

        private byte[] object(Location location, String verb) {
            if (dead) {
                throw new ServiceUnavailableException("Cannot " + verb + " " + location.uri()
                        + ": the backend is down (injected)");
            }
            byte[] object = objects.get(imageId(location.uri()));
            if (object == null) {
                throw new ObjectNotFoundException("Cannot " + verb + " " + location.uri() + ": no such object");
            }
            return object;
        }

        private URI uri(String imageId) {
            return URI.create("faulty://" + namespace + "/" + imageId);
        }

        private String imageId(URI uri) {
            if (!"faulty".equalsIgnoreCase(uri.getScheme())) {
                throw new UnknownSchemeException("Cannot use location " + Location.redact(uri) + ": store " + name
                        + " handles scheme faulty, not " + uri.getScheme());
            }
            if (!namespace.equals(uri.getHost()) || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new InvalidLocationException("Cannot use location " + uri + ": expected faulty://" + namespace
                        + "/<image id>");
            }
            return uri.getPath().substring(1);
        }

        private void checkOpen() {
            if (closed.get()) {
                throw new StoreClosedException("Cannot use store " + name + ": it is closed");
            }
        }
    }

    /** Delivers {@code limit} bytes, then fails every read like a dropped connection. */
    static final class DyingStream extends FilterInputStream {
        private final URI uri;
        private long remaining;

        DyingStream(InputStream in, long limit, URI uri) {
            super(in);
            this.remaining = limit;
            this.uri = uri;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining == 0) {
                throw new IOException("Connection reset while reading " + uri + " (injected)");
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }
    }
}
