package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.StrategyContext;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Argument checks shared by the strategies. */
final class Checks {
    private Checks() {
    }

    /** As {@link #copyOf(List)}, also checking the context. */
    static List<Location> copyOf(List<Location> locations, StrategyContext context) {
        List<Location> copy = copyOf(locations);
        requireNonNull(context, "context is null");
        return copy;
    }

    /** A mutable copy of {@code locations}, after checking that neither it nor an element is null. */
    static List<Location> copyOf(List<Location> locations) {
        requireNonNull(locations, "locations is null");
        List<Location> copy = new ArrayList<>(locations.size());
        int index = 0;
        for (Location location : locations) {
            if (location == null) {
                throw new NullPointerException("locations[" + index + "] is null");
            }
            copy.add(location);
            index++;
        }
        return copy;
    }
}
