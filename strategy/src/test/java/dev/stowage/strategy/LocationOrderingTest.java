package dev.stowage.strategy;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.Location;
import dev.stowage.spi.StrategyContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.stowage.strategy.Locations.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocationOrderingTest {
    private final Location http = at("http://cdn.example.com/abc", "cdn");
    private final Location file = at("file:///srv/images/abc", "local");
    private final Location s3 = at("s3+https://s3.example.com/bucket/abc", "archive");

    @Test
    void defaultsToLocationOrder() {
        LocationOrdering ordering = LocationOrdering.fromConfig(Map.of());

        assertThat(ordering.strategy()).isInstanceOf(LocationOrderStrategy.class);
        assertThat(ordering.order(List.of(http, s3, file))).containsExactly(http, s3, file);
    }

    @Test
    void readsStoreTypeAndItsPreference() {
        LocationOrdering ordering = LocationOrdering.fromConfig(Map.of(
                "stowage.location-strategy", "store_type",
                "stowage.store-type-preference", " file , , s3",
                "stowage.stores.local.type", "file"));

        assertThat(ordering.context().storeTypePreference()).containsExactly("file", "s3");
        assertThat(ordering.order(List.of(http, s3, file))).containsExactly(file, s3, http);
    }

    @Test
    void readsWeightAndTheStoreWeightsFromProperties() {
        Properties properties = new Properties();
        properties.setProperty("stowage.location-strategy", "weight");
        properties.setProperty("stowage.stores.cdn.weight", "10");
        properties.setProperty("stowage.stores.archive.weight", "-5");
        properties.setProperty("stowage.direct.nfs.id", "unrelated");
        LocationOrdering ordering = LocationOrdering.fromProperties(properties);

        assertThat(ordering.context().storeWeights()).isEqualTo(Map.of("cdn", 10, "archive", -5));
        assertThat(ordering.order(List.of(s3, file, http))).containsExactly(http, file, s3);
        assertThat(ordering).hasToString("LocationOrdering[weight, weights={archive=-5, cdn=10}, preference=[]]");
    }

    @Test
    void aWeightThatIsNotANumberNamesTheKey() {
        assertThatThrownBy(() -> LocationOrdering.fromConfig(Map.of("stowage.stores.cdn.weight", "heavy")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("stowage.stores.cdn.weight"))
                .hasMessage("Cannot configure store cdn: stowage.stores.cdn.weight='heavy' is not valid: expected a"
                        + " whole number");
    }

    @Test
    void anUnknownStrategyNameIsAConfigurationError() {
        assertThatThrownBy(() -> LocationOrdering.fromConfig(Map.of("stowage.location-strategy", "store-type")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot use location strategy 'store-type': no provider has that name (known:"
                        + " location_order, store_type, weight) (did you mean 'store_type'?)");
    }

    @Test
    void wrapsAGivenStrategyAndContext() {
        LocationOrdering ordering = LocationOrdering.of(LocationStrategies.storeType(),
                new StrategyContext(Map.of(), List.of("http")));

        assertThat(ordering.order(List.of(file, http))).containsExactly(http, file);
    }
}
