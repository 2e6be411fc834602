package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code store_type}: glance's store-type preference. The preferred types come from
 * {@link StrategyContext#storeTypePreference()} (configuration key {@code stowage.store-type-preference}, e.g.
 * {@code file, http}). Each location's type is found from its URI scheme:
 *
 * <table>
 *   <caption>Store types and their schemes</caption>
 *   <tr><th>type</th><th>schemes</th></tr>
 *   <tr><td>{@code file}</td><td>{@code file}, {@code filesystem}</td></tr>
 *   <tr><td>{@code http}</td><td>{@code http}, {@code https}</td></tr>
 *   <tr><td>{@code s3}</td><td>{@code s3}, {@code s3+http}, {@code s3+https}</td></tr>
 *   <tr><td>{@code swift}</td><td>{@code swift}, {@code swift+http}, {@code swift+https}</td></tr>
 *   <tr><td>{@code rbd}</td><td>{@code rbd}</td></tr>
 *   <tr><td>{@code cinder}</td><td>{@code cinder}</td></tr>
 *   <tr><td>{@code vsphere}</td><td>{@code vsphere} (glance's preference name {@code vmware} is accepted too)</td></tr>
 * </table>
 *
 * <p>The result holds the locations of the first preferred type, then those of the second, and so on, then every
 * other location; each group keeps the given order. Preference names are trimmed and compared in lower case; blank
 * names and repeated names are ignored (a location is never emitted twice). A name that is not a known type is
 * ignored and logged once per strategy instance as a {@link Level#WARNING}. With no preference the order is unchanged.
 */
public final class StoreTypeStrategy implements LocationStrategy {
    /** The configuration name of this strategy. */
    public static final String NAME = "store_type";

    private static final System.Logger LOG = System.getLogger(StoreTypeStrategy.class.getName());
    private static final Map<String, Set<String>> SCHEMES_BY_TYPE = schemesByType();
    private static final Map<String, String> TYPE_BY_SCHEME = typeByScheme();
    private static final Map<String, String> ALIASES = Map.of("vmware", "vsphere");
    private static final int MAX_REMEMBERED_WARNINGS = 256;

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** For {@link java.util.ServiceLoader}; {@link LocationStrategies#storeType()} is the usual way in. */
    public StoreTypeStrategy() {
    }

    private static Map<String, Set<String>> schemesByType() {
        Map<String, Set<String>> map = new LinkedHashMap<>();
        map.put("file", Set.of("file", "filesystem"));
        map.put("http", Set.of("http", "https"));
        map.put("s3", Set.of("s3", "s3+http", "s3+https"));
        map.put("swift", Set.of("swift", "swift+http", "swift+https"));
        map.put("rbd", Set.of("rbd"));
        map.put("cinder", Set.of("cinder"));
        map.put("vsphere", Set.of("vsphere"));
        return java.util.Collections.unmodifiableMap(map);
    }

    private static Map<String, String> typeByScheme() {
        Map<String, String> map = new LinkedHashMap<>();
        SCHEMES_BY_TYPE.forEach((type, schemes) -> schemes.forEach(scheme -> map.put(scheme, type)));
        return Map.copyOf(map);
    }

    /** The store types this strategy knows, in a fixed order. */
    public static Set<String> types() {
        return SCHEMES_BY_TYPE.keySet();
    }

    /** The schemes of a known store type (aliases accepted), or empty for an unknown type. */
    public static Set<String> schemes(String type) {
        return SCHEMES_BY_TYPE.getOrDefault(canonical(type), Set.of());
    }

    /** The store type of a URI scheme, e.g. {@code s3} for {@code s3+https}; empty for a scheme of no known type. */
    public static Optional<String> typeOf(String scheme) {
        return Optional.ofNullable(TYPE_BY_SCHEME.get(scheme.toLowerCase(Locale.ROOT)));
    }

    private static String canonical(String type) {
        String normal = type.trim().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(normal, normal);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Location> order(List<Location> locations, StrategyContext context) {
        List<Location> given = Checks.copyOf(locations, context);
        Map<String, List<Location>> buckets = new LinkedHashMap<>();
        for (String preferred : context.storeTypePreference()) {
            String type = canonical(preferred);
            if (type.isEmpty()) {
                continue;
            }
            if (SCHEMES_BY_TYPE.containsKey(type)) {
                buckets.putIfAbsent(type, new ArrayList<>());
            } else {
                warnUnknown(preferred);
            }
        }
        if (buckets.isEmpty()) {
            return List.copyOf(given);
        }
        List<Location> rest = new ArrayList<>();
        for (Location location : given) {
            List<Location> bucket = buckets.get(TYPE_BY_SCHEME.get(location.scheme()));
            (bucket != null ? bucket : rest).add(location);
        }
        List<Location> ordered = new ArrayList<>(given.size());
        buckets.values().forEach(ordered::addAll);
        ordered.addAll(rest);
        return List.copyOf(ordered);
    }

    private void warnUnknown(String name) {
        if (warned.size() < MAX_REMEMBERED_WARNINGS && warned.add(name)) {
            LOG.log(Level.WARNING, () -> "Ignoring store type '" + name + "' in the store type preference: not a"
                    + " known store type (known: " + String.join(", ", types()) + ")"
                    + dev.stowage.internal.Suggestions.hint(name, types()));
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
