package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.util.ArrayList;
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
        List<Location> checked = Checks.copyOf(locations, context);
        // each location's weight is looked up once, not on every comparison
        List<Weighted> weighted = new ArrayList<>(checked.size());
        for (Location location : checked) {
            weighted.add(new Weighted(location, context.weight(location.store())));
        }
        // List.sort is a stable merge sort: equal weights keep their order
        weighted.sort(Comparator.comparingInt(Weighted::weight).reversed());
        List<Location> ordered = new ArrayList<>(weighted.size());
        for (Weighted entry : weighted) {
            ordered.add(entry.location());
        }
        return List.copyOf(ordered);
    }

    private record Weighted(Location location, int weight) {
    }

    @Override
    public String toString() {
        return NAME;
    }
}
