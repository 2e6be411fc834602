package dev.stowage.api;

import dev.stowage.internal.GivenOrderStrategy;
import dev.stowage.internal.Providers;
import dev.stowage.internal.Redactor;
import dev.stowage.internal.Suggestions;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;
import dev.stowage.spi.StrategyContext;

import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Named stores built from configuration: the caller's entry point. A registry builds one {@code Stores} at start-up,
 * adds images to one or several stores, keeps the returned locations, and reads them back in strategy order with
 * failover.
 *
 * <h2>Configuration</h2>
 * <pre>
 * stowage.stores.&lt;name&gt;.type=file           # the driver type (required)
 * stowage.stores.&lt;name&gt;.&lt;option&gt;=...        # an option the driver declares
 * stowage.stores.&lt;name&gt;.weight=10           # int, default 0, used by the weight strategy
 * stowage.default-store=&lt;name&gt;              # required when more than one store is configured
 * stowage.location-strategy=location_order    # default: the order the locations are given in
 * stowage.store-type-preference=file,http,s3  # list, for the store_type strategy
 * </pre>
 * Store names are lower case, {@code [a-z0-9][a-z0-9_-]*}. An unknown {@code stowage.*} key fails with a
 * {@link ConfigurationException} that names the key and suggests the nearest known one; keys outside {@code stowage.}
 * are ignored, unless they look like a misspelled Stowage key; so are the {@code stowage.direct.*} keys of the
 * client-side mount table (stowage-strategy). Every option of every store is checked before any store
 * is created; when creating a store fails, the stores already created are closed.
 *
 * <h2>Drivers and strategies</h2>
 * Drivers ({@link StoreDriver}) and strategies ({@link LocationStrategy}) are found with
 * {@link java.util.ServiceLoader} on the builder's class loader, plus the instances given to the builder. A provider
 * that fails to load is logged (WARNING, with its class name) and does not stop a configuration that does not need it;
 * when a configured type or strategy is then missing, the {@link DriverLoadException} names the providers that failed
 * (a broken provider's type cannot be known, so it is reported whenever a needed type is missing). Two providers of a
 * type (or strategy name) that the configuration uses fail with a {@link DriverLoadException} naming both classes;
 * unused duplicates are only logged. Two drivers used by the configuration that claim the same URI scheme fail the
 * same way. Strategies are looked up only when {@code stowage.location-strategy} is set; {@code location_order} is
 * built in.
 *
 * <h2>Secrets</h2>
 * Values of options declared {@linkplain Option#secret() secret} never appear in {@link #toString()}, in the messages
 * of the errors {@code Stores} raises, or in its log lines ({@link System.Logger} {@code dev.stowage.api.Stores}).
 *
 * <p>A {@code Stores} is safe for concurrent use. {@link #close()} closes every store.
 */
public final class Stores implements AutoCloseable {
    /** The size to pass to {@code add} when the size is not known up front. */
    public static final long UNKNOWN_SIZE = Store.UNKNOWN_SIZE;

    private static final System.Logger LOG = System.getLogger(Stores.class.getName());

    private final Map<String, Entry> stores;
    private final String defaultStore;
    private final LocationStrategy strategy;
    private final StrategyContext strategyContext;
    private final Redactor redactor;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** One configured store. */
    private record Entry(String name, StoreDriver driver, StoreConfig config, int weight, Store store) {
    }

    /** A store and the location bound to it, ready for an operation. */
    record Target(Store store, Location location) {
    }

    private Stores(Map<String, Entry> stores, String defaultStore, LocationStrategy strategy,
                   StrategyContext strategyContext, Redactor redactor) {
        this.stores = stores;
        this.defaultStore = defaultStore;
        this.strategy = strategy;
        this.strategyContext = strategyContext;
        this.redactor = redactor;
    }

    /** Builds the stores from {@code stowage.*} keys, finding drivers on the thread's context class loader. */
    public static Stores fromMap(Map<String, String> configuration) {
        return builder().configuration(configuration).build();
    }

    /** Builds the stores from {@code stowage.*} properties (defaults included). */
    public static Stores fromProperties(Properties configuration) {
        return builder().properties(configuration).build();
    }

    /** A builder, for an explicit class loader or driver and strategy instances. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // stores

    /**
     * The named store. {@code Stores} owns it: do not close it.
     *
     * @throws UnknownStoreException when no store has that name (with the nearest name as a hint)
     */
    public Store store(String name) {
        requireNonNull(name, "name is null");
        return entry(name, "Cannot use store '" + name + "'").store();
    }

    /** The default store ({@code stowage.default-store}, or the only store). */
    public Store defaultStore() {
        return store(defaultStore);
    }

    /** The name of the default store. */
    public String defaultStoreName() {
        return defaultStore;
    }

    /** The names of the configured stores, sorted. */
    public List<String> storeNames() {
        return List.copyOf(stores.keySet());
    }

    /** The weight of the named store ({@code stowage.stores.<name>.weight}, default 0). */
    public int weight(String store) {
        requireNonNull(store, "store is null");
        return entry(store, "Cannot use store '" + store + "'").weight();
    }

    /** The name of the location strategy in use. */
    public String strategyName() {
        return strategy.name();
    }

    /** What the strategy is given besides the locations: store weights and the store type preference. */
    public StrategyContext strategyContext() {
        return strategyContext;
    }

    private Entry entry(String name, String verbAndObject) {
        checkOpen();
        Entry entry = stores.get(name);
        if (entry == null) {
            throw new UnknownStoreException(verbAndObject + ": no such store" + Suggestions.hint(name, stores.keySet())
                    + "; configured stores: " + String.join(", ", stores.keySet()));
        }
        return entry;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // adds

    /**
     * Adds an image to the default store.
     *
     * @param size the size in bytes, or {@link #UNKNOWN_SIZE}
     */
    public AddResult add(String imageId, InputStream data, long size) {
        return add(defaultStore, imageId, data, size, AddOptions.defaults());
    }

    /** Adds an image to the named store. */
    public AddResult add(String store, String imageId, InputStream data, long size) {
        return add(store, imageId, data, size, AddOptions.defaults());
    }

    /**
     * Adds an image to the named store. The caller keeps ownership of {@code data} and closes it.
     *
     * @throws UnknownStoreException            when no store has that name
     * @throws OperationNotSupportedException   when the store cannot write
     */
    public AddResult add(String store, String imageId, InputStream data, long size, AddOptions options) {
        requireNonNull(store, "store is null");
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        Entry entry = entry(store, "Cannot add image " + ImageIds.quote(imageId) + " to store '" + store + "'");
        requireWritable(entry, imageId);
        AddResult result = entry.store().add(imageId, data, size, options);
        log(Level.DEBUG, "Added image " + imageId + " to store " + store + " at " + result.location().uri() + " ("
                + result.bytesWritten() + " bytes, " + result.multihash().algorithm() + ")");
        return result;
    }

    /** {@link #addAll(List, String, InputStream, long, FanOutMode, AddOptions)} with the default options. */
    public FanOutResult addAll(List<String> stores, String imageId, InputStream data, long size, FanOutMode mode) {
        return addAll(stores, imageId, data, size, mode, AddOptions.defaults());
    }

    /**
     * Adds one image to several stores in one pass over {@code data}: the data is read once, on the calling thread,
     * and each store is fed through its own bounded pipe on its own thread (a few 64 KiB chunks per store, never the
     * whole image). A store that fails is detached and no longer slows the others; a slow store slows the read
     * for all, so memory stays bounded.
     *
     * <p>With {@link FanOutMode#ALL_MUST_SUCCEED} the first failure cancels the other stores' adds, the copies already
     * written are deleted, and an {@link AddFailedException} names each failing store. With
     * {@link FanOutMode#BEST_EFFORT} the result says which stores failed and why; only when all failed is
     * {@link AddFailedException} thrown.
     *
     * <p>Unknown store names, stores that cannot write and invalid image ids fail before anything is read. A store
     * named twice is written once. The caller keeps ownership of {@code data} and closes it.
     *
     * @param size the size in bytes, or {@link #UNKNOWN_SIZE}; every store checks it (rule S3)
     */
    public FanOutResult addAll(List<String> stores, String imageId, InputStream data, long size, FanOutMode mode,
                               AddOptions options) {
        requireNonNull(stores, "stores is null");
        requireNonNull(data, "data is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(options, "options is null");
        if (stores.isEmpty()) {
            throw new IllegalArgumentException("Cannot add image " + ImageIds.quote(imageId) + ": no stores given");
        }
        ImageIds.requireValid(imageId);
        Map<String, Store> targets = new LinkedHashMap<>();
        for (String name : new LinkedHashSet<>(stores)) {
            requireNonNull(name, "store name is null");
            Entry entry = entry(name, "Cannot add image " + ImageIds.quote(imageId) + " to store '" + name + "'");
            requireWritable(entry, imageId);
            targets.put(name, entry.store());
        }
        if (size < 0 && size != UNKNOWN_SIZE) {
            throw new IllegalArgumentException("Cannot add image " + ImageIds.quote(imageId) + ": size " + size
                    + " is negative");
        }
        return new FanOut(imageId, targets, size, options, mode, redactor, FanOut.CHUNK_SIZE,
                FanOut.CHUNKS_PER_STORE).run(data);
    }

    private static void requireWritable(Entry entry, String imageId) {
        if (!entry.store().capabilities().contains(Capability.WRITE)) {
            throw new OperationNotSupportedException(Capability.WRITE, "Cannot add image " + ImageIds.quote(imageId)
                    + " to store " + entry.name() + ": the store (type " + entry.store().type()
                    + ") does not support " + Capability.WRITE);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // reads, sizes, deletes by location

    /** Opens the whole object at {@code location}. The caller closes the stream. */
    public InputStream get(Location location) {
        return get(location, ByteRange.all());
    }

    /**
     * Opens {@code range} of the object at {@code location}, through the store the location names or, for a location
     * bound to no store, the one store whose driver handles its scheme. The caller closes the stream.
     */
    public InputStream get(Location location, ByteRange range) {
        requireNonNull(range, "range is null");
        Target target = resolve(location, "read");
        return target.store().get(target.location(), range);
    }

    /** The size of the object at {@code location}. */
    public long size(Location location) {
        Target target = resolve(location, "read");
        return target.store().size(target.location());
    }

    /** Deletes the object at {@code location}. */
    public void delete(Location location) {
        Target target = resolve(location, "delete");
        target.store().delete(target.location());
        log(Level.DEBUG, "Deleted " + target.location());
    }

    /**
     * Parses a URI into a location bound to the one configured store whose driver handles its scheme.
     *
     * @throws UnknownSchemeException   when no store handles the scheme
     * @throws InvalidLocationException when several stores do (use {@link #location(String, URI)})
     */
    public Location location(URI uri) {
        requireNonNull(uri, "uri is null");
        checkOpen();
        if (uri.getScheme() == null) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": the URI has no scheme");
        }
        return parseByScheme(uri, Location.redact(uri));
    }

    /**
     * Parses {@code uri} with the store that handles its scheme. When several stores handle the scheme (two file
     * stores, say), each parses it and the one store that accepts it wins (a file store accepts only paths in its own
     * directories); when none or more than one accepts, the error says why for each.
     */
    private Location parseByScheme(URI uri, String shown) {
        List<Entry> handlers = handlersOf(uri, shown);
        if (handlers.size() == 1) {
            return handlers.get(0).store().location(uri);
        }
        List<Location> accepted = new ArrayList<>();
        StringJoiner refusals = new StringJoiner("; ");
        for (Entry entry : handlers) {
            try {
                accepted.add(entry.store().location(uri));
            } catch (StoreException e) {
                refusals.add(entry.name() + ": " + e.getMessage());
            }
        }
        if (accepted.size() == 1) {
            return accepted.get(0);
        }
        String names = handlers.stream().map(Entry::name).collect(Collectors.joining(", "));
        if (accepted.isEmpty()) {
            throw new InvalidLocationException("Cannot use location " + shown + ": none of the stores handling scheme '"
                    + uri.getScheme() + "' (" + names + ") accepts it (" + refusals + ")");
        }
        throw new InvalidLocationException("Cannot use location " + shown + ": it names no store and stores "
                + accepted.stream().map(Location::store).collect(Collectors.joining(", "))
                + " all accept it; bind the location to one of them "
                + "(Location.withStore(name) or Stores.location(store, uri))");
    }

    /** Parses a URI into a location of the named store. */
    public Location location(String store, URI uri) {
        requireNonNull(store, "store is null");
        requireNonNull(uri, "uri is null");
        return entry(store, "Cannot use location " + Location.redact(uri) + " with store '" + store + "'")
                .store().location(uri);
    }

    /**
     * The store that serves {@code location}: the one it names, else the one configured store whose driver handles its
     * scheme. {@code Stores} owns it: do not close it.
     */
    public Store storeFor(Location location) {
        return resolve(location, "use").store();
    }

    Target resolve(Location location, String verb) {
        requireNonNull(location, "location is null");
        checkOpen();
        if (location.hasStore()) {
            Entry entry = stores.get(location.store());
            if (entry == null) {
                throw new UnknownStoreException("Cannot " + verb + " " + location.uri() + ": it names store '"
                        + location.store() + "', which is not configured"
                        + Suggestions.hint(location.store(), stores.keySet()) + "; configured stores: "
                        + String.join(", ", stores.keySet()));
            }
            return new Target(entry.store(), location);
        }
        String bound = parseByScheme(location.uri(), location.uri().toString()).store();
        return new Target(stores.get(bound).store(), location.withStore(bound));
    }

    private List<Entry> handlersOf(URI uri, String shown) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        List<Entry> handlers = new ArrayList<>();
        for (Entry entry : stores.values()) {
            if (schemes(entry.driver()).contains(scheme)) {
                handlers.add(entry);
            }
        }
        if (handlers.isEmpty()) {
            Set<String> known = new TreeSet<>();
            stores.values().forEach(entry -> known.addAll(schemes(entry.driver())));
            throw new UnknownSchemeException("Cannot use location " + shown + ": no configured store handles scheme '"
                    + scheme + "'" + Suggestions.hint(scheme, known) + "; the stores handle: "
                    + String.join(", ", known));
        }
        return handlers;
    }

    private static Set<String> schemes(StoreDriver driver) {
        Set<String> schemes = new HashSet<>();
        for (String scheme : driver.schemes()) {
            schemes.add(scheme.toLowerCase(Locale.ROOT));
        }
        return schemes;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // strategy and failover reads

    /** The locations in the configured strategy's order (best first), as a new list. */
    public List<Location> order(List<Location> locations) {
        requireNonNull(locations, "locations is null");
        checkOpen();
        for (int i = 0; i < locations.size(); i++) {
            requireNonNull(locations.get(i), "location " + i + " is null");
        }
        List<Location> ordered = strategy.order(List.copyOf(locations), strategyContext);
        if (ordered == null || !sameElements(locations, ordered)) {
            throw new IllegalStateException("location strategy " + strategy.name() + " ("
                    + strategy.getClass().getName() + ") did not return a permutation of the locations it was given");
        }
        return new ArrayList<>(ordered);
    }

    private static boolean sameElements(List<Location> given, List<Location> ordered) {
        if (given.size() != ordered.size()) {
            return false;
        }
        Map<Location, Integer> counts = new java.util.HashMap<>();
        given.forEach(location -> counts.merge(location, 1, Integer::sum));
        for (Location location : ordered) {
            Integer count = counts.get(location);
            if (count == null) {
                return false;
            }
            if (count == 1) {
                counts.remove(location);
            } else {
                counts.put(location, count - 1);
            }
        }
        return counts.isEmpty();
    }

    /** {@link #open(List, ExpectedContent, ReadListener)} checking nothing and telling no listener. */
    public InputStream open(List<Location> locations) {
        return open(locations, ExpectedContent.unknown(), ReadListener.NONE);
    }

    /** {@link #open(List, ExpectedContent, ReadListener)} checking nothing. */
    public InputStream open(List<Location> locations, ReadListener listener) {
        return open(locations, ExpectedContent.unknown(), listener);
    }

    /** {@link #open(List, ExpectedContent, ReadListener)} checking the size and multihash. */
    public InputStream open(List<Location> locations, long expectedSize, Multihash expectedMultihash) {
        return open(locations, ExpectedContent.of(expectedSize, expectedMultihash), ReadListener.NONE);
    }

    /** {@link #open(List, ExpectedContent, ReadListener)} telling no listener. */
    public InputStream open(List<Location> locations, ExpectedContent expected) {
        return open(locations, expected, ReadListener.NONE);
    }

    /**
     * Opens one image that has several copies, as one seamless stream. The locations are tried in strategy order
     * ({@link #order}); when one fails before the first byte or during the read, the stream goes on with the next one
     * at the byte offset already delivered (a range read, {@link ByteRange#from(long)}). A location whose store lacks
     * {@link Capability#RANGE_READ} can serve only from offset 0, so it is skipped once bytes were delivered. With a
     * known size, a copy that ends early counts as a failed attempt too, and one that runs longer is cut at the
     * expected size and counts as failed; when the last copy tried fails that check, {@code read} throws
     * {@link SizeMismatchException} (with every attempt in its {@link AllLocationsFailedException} cause).
     *
     * <p>Verification happens at the end of the data: {@code read} then throws {@link SizeMismatchException} or
     * {@link ChecksumMismatchException} instead of reporting the end. When no location can deliver (the rest of) the
     * data, {@code open} or {@code read} throws {@link AllLocationsFailedException} listing each attempt's failure.
     * Every attempt is reported to {@code listener} and logged with its location (never a secret).
     *
     * <p>The caller closes the stream; a closed stream throws on use, closing twice is harmless. Not thread-safe.
     *
     * @throws AllLocationsFailedException when no location can be opened (also for an empty list)
     */
    public InputStream open(List<Location> locations, ExpectedContent expected, ReadListener listener) {
        requireNonNull(expected, "expected is null");
        requireNonNull(listener, "listener is null");
        List<Location> ordered = order(locations);
        FailoverInputStream stream = new FailoverInputStream(ordered, this::resolveForRead, expected, listener,
                redactor);
        stream.start();
        return stream;
    }

    private Target resolveForRead(Location location) {
        return resolve(location, "read");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // lifecycle

    /**
     * Closes every store (in reverse order of creation). Idempotent. When stores fail to close, the others are still
     * closed and a {@link StoreIOException} naming the failing stores is thrown with each failure suppressed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Entry> reverse = new ArrayList<>(stores.values());
        Collections.reverse(reverse);
        RuntimeException failure = closeAll(reverse.stream().map(Entry::store).collect(Collectors.toList()),
                redactor);
        log(Level.DEBUG, "Closed stores " + String.join(", ", stores.keySet()));
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes each store; returns an error naming the ones that failed (each failure suppressed), or null. */
    private static RuntimeException closeAll(List<Store> toClose, Redactor redactor) {
        List<String> failedNames = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Store store : toClose) {
            try {
                store.close();
            } catch (RuntimeException | Error e) {
                String name = safeName(store);
                failedNames.add(name);
                Throwable safe = redactor.safeOrNull(e);
                failures.add(safe != null ? safe
                        : new StoreIOException("Cannot close store " + name + ": " + redactor.describe(e)));
                log(Level.WARNING, "Cannot close store " + name + ": " + redactor.describe(e), redactor);
            }
        }
        if (failedNames.isEmpty()) {
            return null;
        }
        StoreIOException error = new StoreIOException("Cannot close store" + (failedNames.size() == 1 ? " " : "s ")
                + String.join(", ", failedNames) + ": see the suppressed exceptions");
        failures.forEach(error::addSuppressed);
        return error;
    }

    private static String safeName(Store store) {
        try {
            return store.name();
        } catch (RuntimeException e) {
            return store.getClass().getName();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreClosedException("Cannot use stores " + String.join(", ", stores.keySet())
                    + ": they are closed");
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** The stores with their types, weights and options; secret values show as {@code ****}. */
    @Override
    public String toString() {
        StringJoiner shown = new StringJoiner(", ", "Stores[default=" + defaultStore + ", strategy=" + strategy.name()
                + (closed.get() ? ", closed" : "") + ", stores=[", "]]");
        for (Entry entry : stores.values()) {
            shown.add(entry.name() + " (type " + entry.driver().type() + ", weight " + entry.weight() + ", "
                    + entry.config() + ")");
        }
        return redactor.redact(shown.toString());
    }

    private void log(Level level, String message) {
        log(level, message, redactor);
    }

    static void log(Level level, String message, Redactor redactor) {
        if (LOG.isLoggable(level)) {
            LOG.log(level, redactor.redact(message));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // building

    /**
     * Builds {@link Stores}. Configuration given in several calls is merged; a later value for the same key wins.
     * Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, String> configuration = new LinkedHashMap<>();
        private final List<StoreDriver> drivers = new ArrayList<>();
        private final List<LocationStrategy> strategies = new ArrayList<>();
        private ClassLoader classLoader;
        private boolean discover = true;

        private Builder() {
        }

        /** Adds {@code stowage.*} keys (other keys are ignored). */
        public Builder configuration(Map<String, String> values) {
            requireNonNull(values, "values is null");
            values.forEach((key, value) -> {
                if (key == null) {
                    throw new ConfigurationException("(null)", "Cannot configure stowage: a key is null");
                }
                configuration.put(key, value);
            });
            return this;
        }

        /** Adds properties (defaults included); entries whose key or value is not a string are refused. */
        public Builder properties(Properties values) {
            requireNonNull(values, "values is null");
            for (Map.Entry<Object, Object> entry : values.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new ConfigurationException(String.valueOf(entry.getKey()), "Cannot configure stowage: "
                            + "property key " + entry.getKey() + " is not a string");
                }
                if (!(entry.getValue() instanceof String)) {
                    throw new ConfigurationException(key, "Cannot configure stowage: the value of '" + key
                            + "' is not a string");
                }
            }
            for (String key : values.stringPropertyNames()) {
                configuration.put(key, values.getProperty(key));
            }
            return this;
        }

        /** Sets one key. */
        public Builder set(String key, String value) {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value of " + key + " is null");
            configuration.put(key, value);
            return this;
        }

        /** The class loader searched for drivers and strategies (default: the thread's context class loader). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = requireNonNull(loader, "loader is null");
            return this;
        }

        /**
         * A driver to use besides the discovered ones. It replaces a discovered provider of the same class; a
         * discovered provider of another class with the same type is a duplicate.
         */
        public Builder driver(StoreDriver driver) {
            drivers.add(requireNonNull(driver, "driver is null"));
            return this;
        }

        /** A strategy to use besides the discovered ones (same rules as {@link #driver}). */
        public Builder strategy(LocationStrategy strategy) {
            strategies.add(requireNonNull(strategy, "strategy is null"));
            return this;
        }

        /** Use only the drivers and strategies given to this builder: no {@link java.util.ServiceLoader} lookup. */
        public Builder withoutDiscovery() {
            this.discover = false;
            return this;
        }

        /**
         * Checks the whole configuration, then creates the stores.
         *
         * @throws ConfigurationException on a bad key or value (naming the key)
         * @throws DriverLoadException    when a needed driver or strategy is missing because its provider failed to
         *                                load, or is provided twice
         */
        public Stores build() {
            StoresSettings settings = StoresSettings.parse(configuration);
            if (settings.sections().isEmpty()) {
                throw new ConfigurationException("stowage.stores", "Cannot configure stowage: no store is configured;"
                        + " set stowage.stores.<name>.type (and the driver's options) for at least one store");
            }
            if (!settings.ignoredKeys().isEmpty() && LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "Ignoring configuration keys outside 'stowage.': "
                        + String.join(", ", settings.ignoredKeys()));
            }
            ClassLoader loader = discover ? effectiveLoader() : null;
            Providers.Found<StoreDriver> found = Providers.discover(StoreDriver.class, loader, drivers,
                    StoreDriver::type);
            reportBroken("store driver", found.broken());

            List<Plan> plans = new ArrayList<>();
            List<String> secrets = new ArrayList<>();
            for (StoresSettings.Section section : settings.sections().values()) {
                StoreDriver driver = chooseDriver(section, found);
                collectSecrets(driver, section, secrets);
                plans.add(plan(section, driver));
            }
            Redactor redactor = new Redactor(secrets);
            reportUnusedDuplicates("store driver", found, plans.stream().map(plan -> plan.driver().type())
                    .collect(Collectors.toSet()));
            checkSchemes(plans);
            String defaultStore = chooseDefault(settings);
            LocationStrategy strategy = chooseStrategy(settings, loader);
            Map<String, Integer> weights = new TreeMap<>();
            plans.forEach(plan -> weights.put(plan.section().name(), plan.weight()));
            StrategyContext context = new StrategyContext(weights, settings.storeTypePreference());

            Map<String, Entry> entries = create(plans, redactor);
            Stores stores = new Stores(Collections.unmodifiableMap(entries), defaultStore, strategy, context,
                    redactor);
            log(Level.INFO, "Configured " + stores, redactor);
            return stores;
        }

        private ClassLoader effectiveLoader() {
            if (classLoader != null) {
                return classLoader;
            }
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : Stores.class.getClassLoader();
        }

        private record Plan(StoresSettings.Section section, StoreDriver driver, StoreConfig config, int weight) {
        }

        private static StoreDriver chooseDriver(StoresSettings.Section section, Providers.Found<StoreDriver> found) {
            String type = section.type();
            String key = section.key(StoresSettings.TYPE);
            List<StoreDriver> candidates = found.named(type);
            if (candidates.size() > 1) {
                throw new DriverLoadException("Cannot configure store " + section.name() + ": store type '" + type
                        + "' is provided by " + candidates.size() + " drivers: " + classNames(candidates)
                        + "; keep one: remove the other jars from the class path (or do not pass the driver to "
                        + "Stores.builder().driver(...))");
            }
            if (candidates.size() == 1) {
                return candidates.get(0);
            }
            Set<String> known = new TreeSet<>(found.byName().keySet());
            String message = "Cannot configure store " + section.name() + ": unknown store type '" + type + "' in '"
                    + key + "'" + Suggestions.hint(type, known) + "; known types: "
                    + (known.isEmpty() ? "(none: no store driver is on the class path)" : String.join(", ", known));
            if (!found.broken().isEmpty()) {
                throw new DriverLoadException(message + "; these store driver providers failed to load and may "
                        + "provide it: " + found.broken().stream().map(Providers.Broken::toString)
                        .collect(Collectors.joining(", ")), found.broken().get(0).error());
            }
            throw new ConfigurationException(key, message);
        }

        private static void collectSecrets(StoreDriver driver, StoresSettings.Section section, List<String> secrets) {
            for (Option<?> option : driver.options()) {
                if (option.secret()) {
                    String value = section.options().get(option.name());
                    if (value != null) {
                        secrets.add(value);
                        secrets.add(value.trim());
                    }
                }
            }
        }

        private static Plan plan(StoresSettings.Section section, StoreDriver driver) {
            String prefix = StoresSettings.STORES + section.name() + ".";
            List<Option<?>> declared = driver.options();
            Set<String> known = new LinkedHashSet<>(StoresSettings.RESERVED_OPTIONS);
            for (Option<?> option : declared) {
                if (StoresSettings.RESERVED_OPTIONS.contains(option.name())) {
                    throw new DriverLoadException("Cannot configure store " + section.name() + ": driver "
                            + driver.getClass().getName() + " (type " + driver.type() + ") declares option '"
                            + option.name() + "', which Stores reserves for every store");
                }
                known.add(option.name());
            }
            for (String given : section.options().keySet()) {
                if (!known.contains(given)) {
                    throw new ConfigurationException(prefix + given, "Cannot configure store " + section.name()
                            + ": unknown option '" + prefix + given + "'" + Suggestions.hint(given, known)
                            + "; known options of type " + driver.type() + ": " + String.join(", ", known));
                }
            }
            StoreConfig config = StoreConfig.parse(section.name(), prefix, declared, section.options());
            int weight = 0;
            if (section.weight() != null) {
                String key = section.key(StoresSettings.WEIGHT);
                try {
                    weight = OptionType.INT.parse(section.weight());
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(key, "Cannot configure store " + section.name() + ": option '"
                            + key + "' has invalid value '" + section.weight() + "': " + e.getMessage());
                }
            }
            return new Plan(section, driver, config, weight);
        }

        private static void checkSchemes(List<Plan> plans) {
            Map<String, StoreDriver> claimed = new TreeMap<>();
            Map<String, String> claimedBy = new TreeMap<>();
            for (Plan plan : plans) {
                for (String scheme : schemes(plan.driver())) {
                    StoreDriver other = claimed.putIfAbsent(scheme, plan.driver());
                    if (other == null) {
                        claimedBy.put(scheme, plan.section().name());
                    } else if (other != plan.driver()) {
                        throw new DriverLoadException("Cannot configure stores " + claimedBy.get(scheme) + " and "
                                + plan.section().name() + ": URI scheme '" + scheme + "' is claimed by two store "
                                + "drivers: " + other.getClass().getName() + " (type " + other.type() + ") and "
                                + plan.driver().getClass().getName() + " (type " + plan.driver().type() + "), so "
                                + "locations of that scheme could not be dispatched; use stores of only one of "
                                + "these types, or remove one driver's jar");
                    }
                }
            }
        }

        private static String chooseDefault(StoresSettings settings) {
            Set<String> names = settings.sections().keySet();
            String named = settings.defaultStore();
            if (named == null) {
                if (names.size() == 1) {
                    return names.iterator().next();
                }
                throw new ConfigurationException(StoresSettings.DEFAULT_STORE, "Cannot configure stowage: "
                        + names.size() + " stores are configured (" + String.join(", ", names) + ") and '"
                        + StoresSettings.DEFAULT_STORE + "' is not set; set it to one of them");
            }
            if (!names.contains(named)) {
                throw new ConfigurationException(StoresSettings.DEFAULT_STORE, "Cannot configure stowage: '"
                        + StoresSettings.DEFAULT_STORE + "' names store '" + named + "', which is not configured"
                        + Suggestions.hint(named, names) + "; configured stores: " + String.join(", ", names));
            }
            return named;
        }

        private LocationStrategy chooseStrategy(StoresSettings settings, ClassLoader loader) {
            String name = settings.locationStrategy();
            if (name == null) {
                return new GivenOrderStrategy();
            }
            Providers.Found<LocationStrategy> found = Providers.discover(LocationStrategy.class, loader, strategies,
                    LocationStrategy::name);
            reportBroken("location strategy", found.broken());
            reportUnusedDuplicates("location strategy", found, Set.of(name));
            List<LocationStrategy> candidates = found.named(name);
            if (candidates.size() > 1) {
                throw new DriverLoadException("Cannot configure stowage: location strategy '" + name + "' in '"
                        + StoresSettings.LOCATION_STRATEGY + "' is provided by " + candidates.size() + " classes: "
                        + classNames(candidates) + "; keep one: remove the other jars from the class path (or do "
                        + "not pass the strategy to Stores.builder().strategy(...))");
            }
            if (candidates.size() == 1) {
                return candidates.get(0);
            }
            if (name.equals(GivenOrderStrategy.NAME)) {
                return new GivenOrderStrategy();
            }
            Set<String> known = new TreeSet<>(found.byName().keySet());
            known.add(GivenOrderStrategy.NAME);
            String message = "Cannot configure stowage: unknown location strategy '" + name + "' in '"
                    + StoresSettings.LOCATION_STRATEGY + "'" + Suggestions.hint(name, known) + "; known strategies: "
                    + String.join(", ", known);
            if (!found.broken().isEmpty()) {
                throw new DriverLoadException(message + "; these location strategy providers failed to load and may "
                        + "provide it: " + found.broken().stream().map(Providers.Broken::toString)
                        .collect(Collectors.joining(", ")), found.broken().get(0).error());
            }
            throw new ConfigurationException(StoresSettings.LOCATION_STRATEGY, message);
        }

        private static String classNames(List<?> providers) {
            return providers.stream().map(provider -> provider.getClass().getName())
                    .collect(Collectors.joining(" and "));
        }

        private static void reportBroken(String what, List<Providers.Broken> broken) {
            for (Providers.Broken provider : broken) {
                if (LOG.isLoggable(Level.WARNING)) {
                    LOG.log(Level.WARNING, "Ignoring " + what + " provider " + provider.className() + ": "
                            + provider.reason() + ". It is reported again only if the configuration needs what it "
                            + "provides; fix or remove its jar to silence this warning");
                }
            }
        }

        private static <S> void reportUnusedDuplicates(String what, Providers.Found<S> found, Set<String> used) {
            found.byName().forEach((name, providers) -> {
                if (providers.size() > 1 && !used.contains(name) && LOG.isLoggable(Level.WARNING)) {
                    LOG.log(Level.WARNING, "Several " + what + " providers claim '" + name + "': "
                            + classNames(providers) + "; not used by this configuration, but it would fail if it "
                            + "were: remove all but one");
                }
            });
        }

        private static Map<String, Entry> create(List<Plan> plans, Redactor redactor) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            List<Store> created = new ArrayList<>();
            for (Plan plan : plans) {
                String name = plan.section().name();
                Store store;
                try {
                    store = plan.driver().create(plan.config());
                    if (store == null) {
                        throw new DriverLoadException("Cannot create store " + name + ": driver "
                                + plan.driver().getClass().getName() + " returned no store");
                    }
                    if (!name.equals(store.name())) {
                        DriverLoadException wrongName = new DriverLoadException("Cannot create store " + name
                                + ": driver " + plan.driver().getClass().getName() + " made a store named '"
                                + store.name() + "' (a store must carry its configured name)");
                        created.add(store);
                        throw wrongName;
                    }
                } catch (RuntimeException e) {
                    RuntimeException failure = translateCreateFailure(name, plan, e, redactor);
                    log(Level.WARNING, failure.getMessage(), redactor);
                    List<Store> reverse = new ArrayList<>(created);
                    Collections.reverse(reverse);
                    RuntimeException closing = closeAll(reverse, redactor);
                    if (closing != null) {
                        failure.addSuppressed(closing);
                    }
                    throw failure;
                }
                created.add(store);
                entries.put(name, new Entry(name, plan.driver(), plan.config(), plan.weight(), store));
            }
            return entries;
        }

        private static RuntimeException translateCreateFailure(String name, Plan plan, RuntimeException error,
                                                               Redactor redactor) {
            if (error instanceof StoreException && !redactor.leaks(error)) {
                return error;
            }
            String key = StoresSettings.STORES + name;
            if (error instanceof ConfigurationException configuration) {
                key = configuration.key();
            }
            return new ConfigurationException(key, "Cannot create store " + name + " (type " + plan.driver().type()
                    + "): " + redactor.describe(error), redactor.safeOrNull(error));
        }
    }
}
