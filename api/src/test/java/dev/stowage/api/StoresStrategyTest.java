package dev.stowage.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Stores#order}: the configured strategy with a context built from weights and the type preference. */
class StoresStrategyTest {
    private static final Location A = Location.of(URI.create("memory://ns-a/img"), "a", Map.of());
    private static final Location B = Location.of(URI.create("memory://ns-b/img"), "b", Map.of());
    private static final Location C = Location.of(URI.create("memory://ns-c/img"), "c", Map.of());
    private static final Location UNBOUND = Location.of(URI.create("memory://ns-x/img"));

    private static Stores stores(String... extra) {
        Stores.Builder builder = Stores.builder()
                .strategy(new TestProviders.HeaviestFirstStrategy())
                .strategy(new TestProviders.LossyStrategy())
                .set("stowage.stores.a.type", "memory").set("stowage.stores.a.namespace", "ns-a")
                .set("stowage.stores.b.type", "memory").set("stowage.stores.b.namespace", "ns-b")
                .set("stowage.stores.b.weight", "50")
                .set("stowage.stores.c.type", "memory").set("stowage.stores.c.namespace", "ns-c")
                .set("stowage.stores.c.weight", "100")
                .set("stowage.default-store", "a");
        for (int i = 0; i < extra.length; i += 2) {
            builder.set(extra[i], extra[i + 1]);
        }
        return builder.build();
    }

    @Test
    void theDefaultKeepsTheGivenOrder() {
        try (Stores stores = stores()) {
            List<Location> given = new ArrayList<>(List.of(C, UNBOUND, A, B));
            List<Location> ordered = stores.order(given);
            assertThat(ordered).containsExactly(C, UNBOUND, A, B).isNotSameAs(given);
            ordered.clear(); // a new, modifiable list
            assertThat(given).hasSize(4);
            assertThat(stores.order(List.of())).isEmpty();
        }
    }

    @Test
    void theStrategySeesTheStoreWeights() {
        try (Stores stores = stores("stowage.location-strategy", "heaviest_first")) {
            assertThat(stores.strategyContext().storeWeights()).isEqualTo(Map.of("a", 0, "b", 50, "c", 100));
            // unbound and unknown stores weigh 0, ties keep their order
            assertThat(stores.order(List.of(UNBOUND, A, B, C))).containsExactly(C, B, UNBOUND, A);
        }
    }

    @Test
    void theStoreTypePreferenceReachesTheContext() {
        try (Stores stores = stores("stowage.store-type-preference", "s3, file,,http ,file")) {
            assertThat(stores.strategyContext().storeTypePreference()).containsExactly("s3", "file", "http");
        }
    }

    @Test
    void aStrategyThatLosesLocationsIsCaught() {
        try (Stores stores = stores("stowage.location-strategy", "lossy")) {
            assertThatThrownBy(() -> stores.order(List.of(A, B)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("location strategy lossy (" + TestProviders.LossyStrategy.class.getName()
                            + ") did not return a permutation of the locations it was given");
            assertThat(stores.order(List.of())).isEmpty();
        }
    }

    @Test
    void nullsAreRefusedNamingTheIndex() {
        try (Stores stores = stores()) {
            assertThatThrownBy(() -> stores.order(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("locations is null");
            assertThatThrownBy(() -> stores.order(Arrays.asList(A, null))).isInstanceOf(NullPointerException.class)
                    .hasMessage("location 1 is null");
        }
    }

    @Test
    void duplicatesSurviveOrdering() {
        try (Stores stores = stores("stowage.location-strategy", "heaviest_first")) {
            assertThat(stores.order(List.of(A, C, A))).containsExactly(C, A, A);
        }
    }
}
