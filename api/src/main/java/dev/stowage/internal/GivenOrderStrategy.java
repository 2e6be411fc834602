package dev.stowage.internal;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The order the locations were given in ({@code location_order}): what {@code Stores} uses when no strategy is
 * configured, so that the common case needs no provider lookup. The strategy module ships the same strategy as a
 * provider; when one is on the class path and {@code stowage.location-strategy=location_order} is set, the provider is
 * used instead. Not part of the public API.
 */
public final class GivenOrderStrategy implements LocationStrategy {
    /** The configuration name. */
    public static final String NAME = "location_order";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Location> order(List<Location> locations, StrategyContext context) {
        requireNonNull(locations, "locations is null");
        requireNonNull(context, "context is null");
        List<Location> ordered = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            ordered.add(requireNonNull(locations.get(i), "location " + i + " is null"));
        }
        return ordered;
    }
}
