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

class WeightStrategyTest extends StrategyLaws {
    @Override
    protected LocationStrategy strategy() {
        return LocationStrategies.weight();
    }

    @Override
    protected Comparator<Location> ranking(StrategyContext context) {
        // heavier first; a store missing from the weights weighs 0
        return Comparator.comparingInt(location -> -context.storeWeights().getOrDefault(location.store(), 0));
    }

    @Test
    void heavierStoresComeFirst() {
        Location light = at("http://h/x", "cdn");
        Location heavy = at("file:///images/x", "local");
        Location middle = at("s3://h/b/x", "s3-east");
        StrategyContext context = new StrategyContext(Map.of("cdn", 1, "local", 100, "s3-east", 50), List.of());

        assertThat(strategy().order(List.of(light, heavy, middle), context)).containsExactly(heavy, middle, light);
    }

    @Test
    void equalWeightsKeepTheirOrderAndUnknownStoresWeighZero() {
        Location a = at("http://h/a", "cdn");
        Location b = at("http://h/b", "cdn");
        Location unknown = at("http://h/c", "nobody-configured-this");
        Location unbound = at("http://h/d");
        Location negative = at("http://h/e", "slow");
        Location c = at("http://h/f", "cdn");
        StrategyContext context = new StrategyContext(Map.of("cdn", 5, "slow", -1), List.of());

        assertThat(strategy().order(List.of(negative, unknown, a, unbound, b, c), context))
                .containsExactly(a, b, c, unknown, unbound, negative);
    }

    @Test
    void withNoWeightsTheOrderIsUnchanged() {
        List<Location> locations = List.of(at("s3://h/b/k", "s3"), at("http://h/x", "cdn"), at("file:///a", "local"));

        assertThat(strategy().order(locations, StrategyContext.empty())).containsExactlyElementsOf(locations);
        assertThat(strategy().name()).isEqualTo("weight");
    }
}
