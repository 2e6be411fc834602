package dev.stowage.strategy;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.StrategyContext;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A location strategy together with what it needs (store weights, store type preference): the client-side equivalent
 * of the ordering a registry's {@code Stores} applies. Immutable and safe for concurrent use.
 *
 * <p>{@link #fromConfig(Map)} reads the same keys as {@code Stores}, and only those, so one configuration can serve
 * both:
 * <ul>
 *   <li>{@code stowage.location-strategy}: the strategy name, default {@code location_order};</li>
 *   <li>{@code stowage.store-type-preference}: comma-separated store types for {@code store_type}, e.g.
 *       {@code file, http};</li>
 *   <li>{@code stowage.stores.<name>.weight}: a whole number per store for {@code weight} (default 0).</li>
 * </ul>
 * Other keys are left to their owners (stores, direct access) and not checked here.
 */
public final class LocationOrdering {
    /** The configuration key of the store type preference. */
    public static final String PREFERENCE_KEY = "stowage.store-type-preference";

    private static final Pattern WEIGHT_KEY = Pattern.compile("stowage\\.stores\\.([^.]+)\\.weight");

    private final LocationStrategy strategy;
    private final StrategyContext context;

    private LocationOrdering(LocationStrategy strategy, StrategyContext context) {
        this.strategy = requireNonNull(strategy, "strategy is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** The given strategy with the given context. */
    public static LocationOrdering of(LocationStrategy strategy, StrategyContext context) {
        return new LocationOrdering(strategy, context);
    }

    /** Reads the strategy and its context from configuration (see the class comment for the keys). */
    public static LocationOrdering fromConfig(Map<String, String> config) {
        requireNonNull(config, "config is null");
        String name = config.getOrDefault(LocationStrategies.STRATEGY_KEY, LocationOrderStrategy.NAME);
        LocationStrategy strategy = LocationStrategies.named(name);
        List<String> preference = OptionType.STRING_LIST.parse(config.getOrDefault(PREFERENCE_KEY, ""));
        Map<String, Integer> weights = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(config).entrySet()) {
            Matcher matcher = WEIGHT_KEY.matcher(entry.getKey());
            if (matcher.matches()) {
                try {
                    weights.put(matcher.group(1), OptionType.INT.parse(entry.getValue()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(entry.getKey(), "Cannot configure store " + matcher.group(1)
                            + ": " + entry.getKey() + "='" + entry.getValue() + "' is not valid: " + e.getMessage(), e);
                }
            }
        }
        return new LocationOrdering(strategy, new StrategyContext(weights, preference));
    }

    /** As {@link #fromConfig(Map)}, from properties (string keys and values). */
    public static LocationOrdering fromProperties(Properties properties) {
        requireNonNull(properties, "properties is null");
        Map<String, String> config = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            config.put(key, properties.getProperty(key));
        }
        return fromConfig(config);
    }

    /** The locations in the strategy's order, best first. */
    public List<Location> order(List<Location> locations) {
        return strategy.order(locations, context);
    }

    public LocationStrategy strategy() {
        return strategy;
    }

    public StrategyContext context() {
        return context;
    }

    @Override
    public String toString() {
        return "LocationOrdering[" + strategy.name() + ", weights=" + new TreeMap<>(context.storeWeights())
                + ", preference=" + context.storeTypePreference() + "]";
    }
}
