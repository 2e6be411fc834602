package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.util.List;

/**
 * {@code location_order}: the locations as given (glance's default strategy). The result is a new, unmodifiable list.
 */
public final class LocationOrderStrategy implements LocationStrategy {
    /** The configuration name of this strategy. */
    public static final String NAME = "location_order";

    /** For {@link java.util.ServiceLoader}; {@link LocationStrategies#locationOrder()} is the usual way in. */
    public LocationOrderStrategy() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Location> order(List<Location> locations, StrategyContext context) {
        return List.copyOf(Checks.copyOf(locations, context));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
