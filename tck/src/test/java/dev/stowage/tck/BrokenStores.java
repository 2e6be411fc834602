package dev.stowage.tck;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ImageIds;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.spi.HashingInputStream;
import dev.stowage.spi.SizeEnforcingInputStream;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.testing.InMemoryStoreDriver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deliberately broken drivers, each the in-memory reference store with exactly one fault, as store-contract classes.
 * {@link BrokenDriversTest} runs the whole kit against each through the JUnit Platform launcher and asserts that the
 * test of the broken rule fails, citing that rule. (Nested classes: surefire does not run them on its own.)
 */
final class BrokenStores {
    private BrokenStores() {
    }

    /** The in-memory store in a namespace of its own, wrapped by {@link #wrap}; small sizes keep the runs quick. */
    abstract static class Broken extends StoreContract {
        static final String SECRET = "br0ken-Secr3t-Value";
        final String namespace = "broken-" + UUID.randomUUID();

        abstract Store wrap(Store memory, Map<String, byte[]> objects);

        @Override
        protected Store newStore() {
            InMemoryStoreDriver driver = new InMemoryStoreDriver();
            Store memory = driver.create(StoreConfig.of("broken", driver.options(),
                    Map.of("namespace", namespace, "access-key", SECRET)));
            return wrap(memory, InMemoryStoreDriver.objects(namespace));
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withLargeObjectSize(1 << 20).withChunkSize(16 << 10).withThreads(6);
        }

        @Override
        protected Set<String> secrets() {
            return Set.of(SECRET);
        }

        @Override
        protected void cleanup(Store store) {
            InMemoryStoreDriver.objects(namespace).clear();
        }

        URI uriOf(String imageId) {
            return URI.create("memory://" + namespace + "/" + imageId);
        }
    }

    /** S1: whole-object reads drop the last byte. */
    static final class Truncating extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public InputStream get(Location location, ByteRange range) {
                    if (range.isAll()) {
                        long size = delegate.size(location);
                        return delegate.get(location, ByteRange.of(0, Math.max(0, size - 1)));
                    }
                    return delegate.get(location, range);
                }
            };
        }
    }

    /** S6: ranged reads start at 0 whatever the offset (the length is right). */
    static final class IgnoresOffset extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public InputStream get(Location location, ByteRange range) {
                    long size = delegate.size(location);
                    if (range.offset() == 0 || range.offset() > size
                            || (!range.toEnd() && range.offset() + range.length() > size)) {
                        return delegate.get(location, range);
                    }
                    long length = range.toEnd() ? size - range.offset() : range.length();
                    return delegate.get(location, ByteRange.of(0, length));
                }
            };
        }
    }

    /** S5: a duplicate add replaces the existing object. */
    static final class OverwritesDuplicates extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    objects.remove(imageId);
                    return delegate.add(imageId, data, expectedSize, options);
                }
            };
        }
    }

    /** S3/S4: a failed add keeps the bytes it had read as the object. */
    static final class LeavesPartialObject extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    ByteArrayOutputStream seen = new ByteArrayOutputStream();
                    InputStream recording = new FilterInputStream(data) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            int n = super.read(b, off, len);
                            if (n > 0) {
                                seen.write(b, off, n);
                            }
                            return n;
                        }
                    };
                    try {
                        return delegate.add(imageId, recording, expectedSize, options);
                    } catch (StoreException e) {
                        if (ImageIds.isValid(imageId)) {
                            objects.putIfAbsent(imageId, seen.toByteArray());
                        }
                        throw e;
                    }
                }
            };
        }
    }

    /** S4: a failed add leaves a temporary file behind (reported by the leftovers hook). */
    static final class LeavesTempFile extends Broken {
        private final List<String> temp = new CopyOnWriteArrayList<>();

        @Override
        protected List<String> leftovers(Store store) {
            return List.copyOf(temp);
        }

        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    try {
                        return delegate.add(imageId, data, expectedSize, options);
                    } catch (StoreException e) {
                        temp.add(".tmp/" + imageId + ".part");
                        throw e;
                    }
                }
            };
        }
    }

    /** S9: locations carry the access key in their query. */
    static final class LeaksSecretIntoLocation extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                private Location leak(Location location) {
                    return Location.of(URI.create(location.uri() + "?token=" + SECRET), location.store(),
                            location.metadata());
                }

                private Location strip(Location location) {
                    return delegate.location(strip(location.uri()));
                }

                private URI strip(URI uri) {
                    String text = uri.toString();
                    int query = text.indexOf('?');
                    return URI.create(query < 0 ? text : text.substring(0, query));
                }

                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    AddResult result = delegate.add(imageId, data, expectedSize, options);
                    return new AddResult(leak(result.location()), result.bytesWritten(), result.md5(),
                            result.multihash());
                }

                @Override
                public InputStream get(Location location, ByteRange range) {
                    return delegate.get(strip(location), range);
                }

                @Override
                public long size(Location location) {
                    return delegate.size(strip(location));
                }

                @Override
                public void delete(Location location) {
                    delegate.delete(strip(location));
                }

                @Override
                public Location location(URI uri) {
                    return leak(delegate.location(strip(uri)));
                }
            };
        }
    }

    /** S10: not-found errors show the access key. */
    static final class LeaksSecretIntoErrors extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public InputStream get(Location location, ByteRange range) {
                    try {
                        return delegate.get(location, range);
                    } catch (ObjectNotFoundException e) {
                        throw new ObjectNotFoundException(e.getMessage() + " (request signed with " + SECRET + ")");
                    }
                }
            };
        }
    }

    /** S9: unsafe ids such as {@code ..} are "cleaned up" and stored instead of being rejected. */
    static final class AcceptsUnsafeIds extends Broken {
        private final AtomicInteger renamed = new AtomicInteger();

        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    String id = imageId;
                    if (!ImageIds.isValid(id)) {
                        String cleaned = id.replaceAll("[^A-Za-z0-9._-]", "_");
                        id = "x" + renamed.incrementAndGet() + "_"
                                + cleaned.substring(0, Math.min(100, cleaned.length()));
                    }
                    return delegate.add(id, data, expectedSize, options);
                }
            };
        }
    }

    /** S12: add copies the caller's data through one buffer shared by all calls. */
    static final class NotThreadSafe extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                private final byte[] shared = new byte[512];

                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    ByteArrayOutputStream copy = new ByteArrayOutputStream();
                    try {
                        int n;
                        while ((n = data.read(shared)) >= 0) {
                            Thread.yield();
                            copy.write(shared, 0, n);
                        }
                    } catch (IOException e) {
                        throw new StoreIOException("Cannot add " + uriOf(imageId) + ": " + e.getMessage(), e);
                    }
                    return delegate.add(imageId, new ByteArrayInputStream(copy.toByteArray()), expectedSize, options);
                }
            };
        }
    }

    /** S5: declares ATOMIC_CREATE but checks for the id, then writes (last writer wins a race). */
    static final class NonAtomicCreate extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    if (objects.containsKey(imageId)) {
                        throw new DuplicateObjectException("Cannot add " + uriOf(imageId) + ": it exists");
                    }
                    byte[] all;
                    try {
                        all = data.readAllBytes();
                        Thread.sleep(20);
                    } catch (IOException e) {
                        throw new StoreIOException("Cannot add " + uriOf(imageId) + ": " + e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StoreIOException("Cannot add " + uriOf(imageId) + ": interrupted", e);
                    }
                    objects.remove(imageId);
                    return delegate.add(imageId, new ByteArrayInputStream(all), expectedSize, options);
                }
            };
        }
    }

    /** S7: a missing object is reported as an I/O error, not as not-found. */
    static final class WrongNotFoundError extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public InputStream get(Location location, ByteRange range) {
                    try {
                        return delegate.get(location, range);
                    } catch (ObjectNotFoundException e) {
                        throw new StoreIOException("Cannot read " + location.uri() + ": backend answered 404", e);
                    }
                }

                @Override
                public long size(Location location) {
                    try {
                        return delegate.size(location);
                    } catch (ObjectNotFoundException e) {
                        throw new StoreIOException("Cannot read " + location.uri() + ": backend answered 404", e);
                    }
                }
            };
        }
    }

    /** S8: delete checks the object exists but does not remove it. */
    static final class DeleteKeepsObject extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public void delete(Location location) {
                    delegate.size(location);
                }
            };
        }
    }

    /** S3: the declared size is ignored (the data is stored whatever its length). */
    static final class IgnoresDeclaredSize extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    return delegate.add(imageId, data, Store.UNKNOWN_SIZE, options);
                }
            };
        }
    }

    /** S11: does not declare DELETE, but delete throws java.lang.UnsupportedOperationException. */
    static final class WrongUnsupportedError extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public Set<Capability> capabilities() {
                    Set<Capability> capabilities = EnumSet.copyOf(delegate.capabilities());
                    capabilities.remove(Capability.DELETE);
                    return capabilities;
                }

                @Override
                public void delete(Location location) {
                    throw new UnsupportedOperationException("delete");
                }
            };
        }
    }

    /** S9: location(URI) accepts any scheme. */
    static final class AcceptsForeignSchemes extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public Location location(URI uri) {
                    if (!"memory".equals(uri.getScheme())) {
                        return Location.of(uri, name(), metadata());
                    }
                    return delegate.location(uri);
                }
            };
        }
    }

    /** S2: the multihash is always SHA-512, whatever the add options say. */
    static final class IgnoresHashAlgorithm extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    return delegate.add(imageId, data, expectedSize, AddOptions.defaults());
                }
            };
        }
    }

    /** S6: returned streams keep working after close. */
    static final class StreamIgnoresClose extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public InputStream get(Location location, ByteRange range) {
                    try (InputStream in = delegate.get(location, range)) {
                        return new ByteArrayInputStream(in.readAllBytes());
                    } catch (IOException e) {
                        throw new StoreIOException("Cannot read " + location.uri() + ": " + e.getMessage(), e);
                    }
                }
            };
        }
    }

    /** S4: add publishes what it has read so far while it is still reading. */
    static final class VisibleDuringAdd extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    ImageIds.requireValid(imageId);
                    URI uri = uriOf(imageId);
                    if (objects.containsKey(imageId)) {
                        throw new DuplicateObjectException("Cannot add " + uri + ": it exists");
                    }
                    HashingInputStream hashing = new HashingInputStream(
                            new SizeEnforcingInputStream(data, expectedSize, uri.toString()), options.hashAlgorithm());
                    ByteArrayOutputStream soFar = new ByteArrayOutputStream();
                    byte[] buffer = new byte[4096];
                    long published = 0;
                    try {
                        int n;
                        while ((n = hashing.read(buffer)) >= 0) {
                            soFar.write(buffer, 0, n);
                            if (soFar.size() >= Math.max(1024, 2 * published)) {
                                objects.put(imageId, soFar.toByteArray());
                                published = soFar.size();
                            }
                        }
                    } catch (IOException e) {
                        objects.remove(imageId);
                        throw new StoreIOException("Cannot add " + uri + ": " + e.getMessage(), e);
                    } catch (RuntimeException e) {
                        objects.remove(imageId);
                        throw e;
                    }
                    objects.put(imageId, soFar.toByteArray());
                    return new AddResult(delegate.location(uri), hashing.count(), hashing.md5Hex(),
                            hashing.multihash());
                }
            };
        }
    }

    /** S13: close does nothing, so a closed store keeps working. */
    static final class WorksAfterClose extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public void close() {
                    // forgets to close
                }
            };
        }
    }

    /** S13: the second close throws. */
    static final class CloseNotIdempotent extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                private boolean closed;

                @Override
                public void close() {
                    if (closed) {
                        throw new IllegalStateException("already closed");
                    }
                    closed = true;
                    delegate.close();
                }
            };
        }
    }

    /** S10: the caller's IOException is translated without keeping it as the cause. */
    static final class DropsCause extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new ForwardingStore(memory, objects) {
                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    try {
                        return delegate.add(imageId, data, expectedSize, options);
                    } catch (StoreIOException e) {
                        throw new StoreIOException(e.getMessage());
                    }
                }
            };
        }
    }

    /** S14: locations parsed by location(URI) lack the store's metadata. */
    static final class ParsedLocationsLoseMetadata extends Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            Map<String, String> metadata = Map.of("id", "fs-1", "mountpoint", "/srv/images");
            return new ForwardingStore(memory, objects) {
                @Override
                public Map<String, String> metadata() {
                    return metadata;
                }

                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    AddResult result = delegate.add(imageId, data, expectedSize, options);
                    return new AddResult(Location.of(result.location().uri(), name(), metadata),
                            result.bytesWritten(), result.md5(), result.multihash());
                }
            };
        }
    }
}
