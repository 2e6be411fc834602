package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.stowage.strategy.Locations.at;
import static org.assertj.core.api.Assertions.assertThat;

class LocationOrderStrategyTest extends StrategyLaws {
    @Override
    protected LocationStrategy strategy() {
        return LocationStrategies.locationOrder();
    }

    @Override
    protected Comparator<Location> ranking(StrategyContext context) {
        return (a, b) -> 0;
    }

    @Test
    void keepsTheGivenOrderWhateverTheContext() {
        List<Location> locations = List.of(at("s3://h/b/k", "s3"), at("http://h/x", "cdn"), at("file:///a", "local"));
        StrategyContext context = new StrategyContext(Map.of("local", 10), List.of("file", "http"));

        assertThat(strategy().order(locations, context)).containsExactlyElementsOf(locations);
        assertThat(strategy().name()).isEqualTo("location_order");
    }
}
