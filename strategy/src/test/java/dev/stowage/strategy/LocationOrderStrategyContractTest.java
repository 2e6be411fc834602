package dev.stowage.strategy;

import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;
import dev.stowage.tck.LocationStrategyContract;

import java.util.List;
import java.util.Map;

/** The conformance kit's strategy contract (L1-L6) for the built-in {@code locationOrder} strategy. */
class LocationOrderStrategyContractTest extends LocationStrategyContract {
    @Override
    protected LocationStrategy strategy() {
        return LocationStrategies.locationOrder();
    }

    @Override
    protected StrategyContext context() {
        return new StrategyContext(Map.of("alpha", 10, "beta", -1, "gamma", 10),
                List.of("file", "s3", "vmware", "http"));
    }
}
