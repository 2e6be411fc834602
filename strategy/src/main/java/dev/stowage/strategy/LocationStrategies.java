package dev.stowage.strategy;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DriverLoadException;
import dev.stowage.internal.Providers;
import dev.stowage.internal.Suggestions;
import dev.stowage.spi.LocationStrategy;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Finds {@link LocationStrategy} implementations by name with {@link ServiceLoader}, for clients that configure no
 * stores (a registry's {@code Stores} does its own lookup). The built-in strategies are also available directly.
 *
 * <p>Each lookup scans the providers afresh, with the same rules as {@code Stores}: a provider that cannot be loaded
 * (or claims a blank or upper-case name) is logged as a warning and skipped, so it cannot block the others; if the
 * requested name is then not found, the {@link DriverLoadException} names the broken providers. A name offered by two
 * different provider classes fails with a {@link DriverLoadException} naming both.
 */
public final class LocationStrategies {
    /** The configuration key that selects a strategy; named in lookup errors. */
    public static final String STRATEGY_KEY = "stowage.location-strategy";

    private static final System.Logger LOG = System.getLogger(LocationStrategies.class.getName());

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
     * @throws DriverLoadException    when two provider classes claim the name, or when the name is missing and some
     *                                provider failed to load (it may be the one that provides it; the message names it)
     */
    public static LocationStrategy named(String name) {
        requireNonNull(name, "name is null");
        return find(name, contextLoader());
    }

    /** As {@link #named(String)}, with providers from {@code loader}. */
    public static LocationStrategy named(String name, ClassLoader loader) {
        requireNonNull(name, "name is null");
        requireNonNull(loader, "loader is null");
        return find(name, loader);
    }

    /** The names of the strategies the thread context class loader provides, sorted. */
    public static SortedSet<String> names() {
        return names(contextLoader());
    }

    /** The names of the strategies {@code loader} provides, sorted. */
    public static SortedSet<String> names(ClassLoader loader) {
        requireNonNull(loader, "loader is null");
        return Collections.unmodifiableSortedSet(new TreeSet<>(scan(loader).byName().keySet()));
    }

    private static ClassLoader contextLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    private static LocationStrategy find(String name, ClassLoader loader) {
        String wanted = name.trim();
        Providers.Found<LocationStrategy> found = scan(loader);
        List<LocationStrategy> candidates = found.named(wanted);
        if (candidates.size() > 1) {
            throw new DriverLoadException("Cannot load location strategy '" + wanted + "': it is provided by "
                    + candidates.size() + " classes: " + candidates.stream()
                    .map(strategy -> strategy.getClass().getName()).collect(Collectors.joining(", "))
                    + "; keep exactly one of them on the class or module path");
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        Set<String> known = new TreeSet<>(found.byName().keySet());
        String message = "Cannot use location strategy '" + wanted + "': no provider has that name (known: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")" + Suggestions.hint(wanted, known);
        if (!found.broken().isEmpty()) {
            throw new DriverLoadException(message + "; these providers failed to load and may provide it: "
                    + found.broken().stream().map(Providers.Broken::toString).collect(Collectors.joining(", ")),
                    found.broken().get(0).error());
        }
        throw new ConfigurationException(STRATEGY_KEY, message);
    }

    private static Providers.Found<LocationStrategy> scan(ClassLoader loader) {
        Providers.Found<LocationStrategy> found = Providers.discover(LocationStrategy.class, loader, List.of(),
                LocationStrategy::name);
        // a broken provider does not block the others; it is named again if the wanted strategy is missing
        found.broken().forEach(broken -> LOG.log(Level.WARNING, "Skipping location strategy provider "
                + broken.className() + ": " + broken.reason()));
        return found;
    }
}
