package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.util.List;

/** A provider that cannot be instantiated; registered only by tests that build their own class loader. */
public final class ExplodingStrategy implements LocationStrategy {
    public ExplodingStrategy() {
        throw new IllegalStateException("this provider is broken on purpose");
    }

    @Override
    public String name() {
        return "exploding";
    }

    @Override
    public List<Location> order(List<Location> locations, StrategyContext context) {
        return List.copyOf(locations);
    }
}
