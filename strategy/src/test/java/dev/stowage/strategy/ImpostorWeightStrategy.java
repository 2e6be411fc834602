package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.util.List;

/** A second provider claiming the name {@code weight}; registered only by tests that build their own class loader. */
public final class ImpostorWeightStrategy implements LocationStrategy {
    @Override
    public String name() {
        return "weight";
    }

    @Override
    public List<Location> order(List<Location> locations, StrategyContext context) {
        return List.copyOf(locations);
    }
}
