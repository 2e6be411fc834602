package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.util.Comparator;
import java.util.List;

/**
 * {@code weight}: the locations by the weight of the store that made them ({@link StrategyContext#weight(String)} of
 * {@link Location#store()}), highest first. Locations of stores the context does not know, and locations bound to no
 * store, count as weight 0. Equal weights keep their given order (the sort is stable). This is glance's 2024
 * replacement for the {@code store_type} strategy.
 */
public final class WeightStrategy implements LocationStrategy {
    /** The configuration name of this strategy. */
    public static final String NAME = "weight";

    /** For {@link java.util.ServiceLoader}; {@link LocationStrategies#weight()} is the usual way in. */
    public WeightStrategy() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Location> order(List<Location> locations, StrategyContext context) {
        List<Location> ordered = Checks.copyOf(locations, context);
        // List.sort is a stable merge sort: equal weights keep their order
        ordered.sort(Comparator.comparingInt((Location location) -> context.weight(location.store())).reversed());
        return List.copyOf(ordered);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
