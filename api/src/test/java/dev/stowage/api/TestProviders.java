package dev.stowage.api;

import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;
import dev.stowage.spi.StrategyContext;
import dev.stowage.testing.InMemoryStoreDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Provider classes for discovery tests. They are listed in {@code META-INF/services} files that the tests write to a
 * temporary directory and put on a child class loader ({@link #loaderWith}), so the normal test class path is not
 * affected.
 */
public final class TestProviders {
    private TestProviders() {
    }

    /** A class loader that sees the test class path plus service files naming the given providers. */
    static ClassLoader loaderWith(Path directory, List<Class<?>> drivers, List<String> extraDriverLines,
                                  List<Class<?>> strategies) {
        try {
            Path services = Files.createDirectories(directory.resolve("META-INF/services"));
            List<String> driverLines = new ArrayList<>();
            drivers.forEach(type -> driverLines.add(type.getName()));
            driverLines.addAll(extraDriverLines);
            Files.write(services.resolve(StoreDriver.class.getName()), driverLines);
            List<String> strategyLines = new ArrayList<>();
            strategies.forEach(type -> strategyLines.add(type.getName()));
            Files.write(services.resolve(LocationStrategy.class.getName()), strategyLines);
            return new URLClassLoader(new URL[]{directory.toUri().toURL()}, TestProviders.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails in its constructor, as a provider with a missing dependency would. */
    public static final class BrokenDriver implements StoreDriver {
        public BrokenDriver() {
            throw new IllegalStateException("cannot initialise: missing native library");
        }

        @Override
        public String type() {
            return "broken";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("broken");
        }

        @Override
        public List<Option<?>> options() {
            return List.of();
        }

        @Override
        public Store create(StoreConfig config) {
            throw new AssertionError("never created");
        }
    }

    /** A second driver of type {@code memory} (another jar claiming the same type). */
    public static final class OtherMemoryDriver implements StoreDriver {
        private final InMemoryStoreDriver delegate = new InMemoryStoreDriver();

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
            return delegate.options();
        }

        @Override
        public Store create(StoreConfig config) {
            return delegate.create(config);
        }
    }

    /** A driver of another type that also claims the {@code memory} scheme. */
    public static final class SchemeThiefDriver implements StoreDriver {
        private final InMemoryStoreDriver delegate = new InMemoryStoreDriver();

        @Override
        public String type() {
            return "thief";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("thief", "memory");
        }

        @Override
        public List<Option<?>> options() {
            return delegate.options();
        }

        @Override
        public Store create(StoreConfig config) {
            return delegate.create(config);
        }
    }

    /** Declares an option named {@code weight}, which {@code Stores} reserves. */
    public static final class ReservedOptionDriver implements StoreDriver {
        @Override
        public String type() {
            return "reserved";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("reserved");
        }

        @Override
        public List<Option<?>> options() {
            return List.of(Option.builder("weight", OptionType.INT).defaultValue(1).build());
        }

        @Override
        public Store create(StoreConfig config) {
            throw new AssertionError("never created");
        }
    }

    /** Makes a store whose name is not the configured one. */
    public static final class MisnamingDriver implements StoreDriver {
        private final InMemoryStoreDriver delegate = new InMemoryStoreDriver();

        @Override
        public String type() {
            return "misnaming";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("misnaming");
        }

        @Override
        public List<Option<?>> options() {
            return delegate.options();
        }

        @Override
        public Store create(StoreConfig config) {
            return delegate.create(StoreConfig.of(config.storeName() + "-other", delegate.options(),
                    java.util.Map.of("namespace", config.get(InMemoryStoreDriver.NAMESPACE))));
        }
    }

    /** Last location first. */
    public static final class ReverseStrategy implements LocationStrategy {
        @Override
        public String name() {
            return "reverse";
        }

        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> ordered = new ArrayList<>(locations);
            java.util.Collections.reverse(ordered);
            return ordered;
        }
    }

    /** Another class that claims the name {@code reverse}. */
    public static final class OtherReverseStrategy implements LocationStrategy {
        @Override
        public String name() {
            return "reverse";
        }

        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            return new ReverseStrategy().order(locations, context);
        }
    }

    /** Heaviest store first, stable; reads the weights from the context. */
    public static final class HeaviestFirstStrategy implements LocationStrategy {
        @Override
        public String name() {
            return "heaviest_first";
        }

        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> ordered = new ArrayList<>(locations);
            ordered.sort(Comparator.comparingInt((Location location) -> context.weight(location.store())).reversed());
            return ordered;
        }
    }

    /** Breaks the contract: drops the last location. */
    public static final class LossyStrategy implements LocationStrategy {
        @Override
        public String name() {
            return "lossy";
        }

        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            return new ArrayList<>(locations.subList(0, Math.max(0, locations.size() - 1)));
        }
    }

    /** Fails in its constructor. */
    public static final class BrokenStrategy implements LocationStrategy {
        public BrokenStrategy() {
            throw new IllegalStateException("strategy cannot start");
        }

        @Override
        public String name() {
            return "broken_strategy";
        }

        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            return locations;
        }
    }
}
