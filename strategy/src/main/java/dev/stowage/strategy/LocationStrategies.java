package dev.stowage.strategy;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DriverLoadException;
import dev.stowage.internal.Suggestions;
import dev.stowage.spi.LocationStrategy;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Finds {@link LocationStrategy} implementations by name with {@link ServiceLoader}, for clients that configure no
 * stores (a registry's {@code Stores} does its own lookup). The built-in strategies are also available directly.
 *
 * <p>Each lookup scans the providers afresh. A provider that cannot be loaded is logged as a warning and skipped, so
 * it cannot block the others; if the requested name is then not found, the error names the broken providers too. A
 * name offered by two different provider classes fails with a {@link DriverLoadException} naming both.
 */
public final class LocationStrategies {
    /** The configuration key that selects a strategy; named in lookup errors. */
    public static final String STRATEGY_KEY = "stowage.location-strategy";

    private static final System.Logger LOG = System.getLogger(LocationStrategies.class.getName());
    private static final int MAX_PROVIDER_ERRORS = 100;

    private LocationStrategies() {
    }

    /** A new {@code location_order} strategy. */
    public static LocationStrategy locationOrder() {
        return new LocationOrderStrategy();
    }

    /** A new {@code store_type} strategy. */
    public static LocationStrategy storeType() {
        return new StoreTypeStrategy();
    }

    /** A new {@code weight} strategy. */
    public static LocationStrategy weight() {
        return new WeightStrategy();
    }

    /**
     * The strategy called {@code name} (surrounding blanks ignored), found with the thread context class loader (and,
     * on the module path, the modules that provide {@link LocationStrategy}).
     *
     * @throws ConfigurationException for key {@value #STRATEGY_KEY} when no provider has that name; the message lists
     *                                the known names and suggests the nearest
     * @throws DriverLoadException    when two provider classes claim the name
     */
    public static LocationStrategy named(String name) {
        requireNonNull(name, "name is null");
        return find(name, ServiceLoader.load(LocationStrategy.class));
    }

    /** As {@link #named(String)}, with providers from {@code loader}. */
    public static LocationStrategy named(String name, ClassLoader loader) {
        requireNonNull(name, "name is null");
        requireNonNull(loader, "loader is null");
        return find(name, ServiceLoader.load(LocationStrategy.class, loader));
    }

    /** The names of the strategies the thread context class loader provides, sorted. */
    public static SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(scan(ServiceLoader.load(LocationStrategy.class))
                .byName().keySet()));
    }

    /** The names of the strategies {@code loader} provides, sorted. */
    public static SortedSet<String> names(ClassLoader loader) {
        requireNonNull(loader, "loader is null");
        return Collections.unmodifiableSortedSet(new TreeSet<>(scan(ServiceLoader.load(LocationStrategy.class, loader))
                .byName().keySet()));
    }

    private static LocationStrategy find(String name, ServiceLoader<LocationStrategy> loader) {
        String wanted = name.trim();
        Catalog catalog = scan(loader);
        List<LocationStrategy> found = catalog.byName().get(wanted);
        if (found == null) {
            String known = catalog.byName().isEmpty() ? "none" : String.join(", ", catalog.byName().keySet());
            String broken = catalog.broken().isEmpty() ? ""
                    : "; providers that failed to load: " + String.join("; ", catalog.broken());
            throw new ConfigurationException(STRATEGY_KEY, "Cannot use location strategy '" + wanted
                    + "': no provider has that name (known: " + known + ")"
                    + Suggestions.hint(wanted, catalog.byName().keySet()) + broken);
        }
        if (found.size() > 1) {
            throw new DriverLoadException("Cannot load location strategy '" + wanted + "': it is provided by "
                    + found.size() + " classes: "
                    + found.stream().map(strategy -> strategy.getClass().getName()).collect(Collectors.joining(", "))
                    + "; keep exactly one of them on the class or module path");
        }
        return found.get(0);
    }

    private record Catalog(Map<String, List<LocationStrategy>> byName, List<String> broken) {
    }

    private static Catalog scan(ServiceLoader<LocationStrategy> loader) {
        Map<String, List<LocationStrategy>> byName = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        Iterator<LocationStrategy> providers = loader.iterator();
        // after an error the iterator goes on with the next provider, so one broken jar cannot hide the rest
        while (broken.size() < MAX_PROVIDER_ERRORS) {
            LocationStrategy strategy;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                strategy = providers.next();
            } catch (ServiceConfigurationError e) {
                broken(broken, e.getMessage(), e);
                continue;
            }
            String strategyName;
            try {
                strategyName = strategy.name();
            } catch (RuntimeException e) {
                broken(broken, strategy.getClass().getName() + ": name() failed: " + e, e);
                continue;
            }
            if (strategyName == null || strategyName.isBlank()) {
                broken(broken, strategy.getClass().getName() + ": name() is blank", null);
                continue;
            }
            byName.computeIfAbsent(strategyName, key -> new ArrayList<>()).add(strategy);
        }
        return new Catalog(byName, broken);
    }

    private static void broken(List<String> broken, String reason, Throwable cause) {
        broken.add(reason);
        LOG.log(Level.WARNING, "Skipping a location strategy provider that cannot be loaded: " + reason, cause);
    }
}
