package dev.stowage.api;

import dev.stowage.api.TestProviders.BrokenDriver;
import dev.stowage.api.TestProviders.BrokenStrategy;
import dev.stowage.api.TestProviders.HeaviestFirstStrategy;
import dev.stowage.api.TestProviders.LossyStrategy;
import dev.stowage.api.TestProviders.OtherMemoryDriver;
import dev.stowage.api.TestProviders.OtherReverseStrategy;
import dev.stowage.api.TestProviders.ReverseStrategy;
import dev.stowage.api.TestProviders.SchemeThiefDriver;
import dev.stowage.internal.Providers;
import dev.stowage.spi.StoreDriver;
import dev.stowage.testing.InMemoryStoreDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Driver and strategy discovery through {@link java.util.ServiceLoader}. Each test writes service files to a temporary
 * directory and builds with a child class loader that sees them (the test class path already provides the in-memory
 * driver).
 */
class StoresDiscoveryTest {
    @TempDir
    Path dir;

    private static final String MISSING = "com.example.stowage.MissingDriver";

    private ClassLoader drivers(Class<?>... providers) {
        return TestProviders.loaderWith(dir, List.of(providers), List.of(), List.of());
    }

    private ClassLoader strategies(Class<?>... providers) {
        return TestProviders.loaderWith(dir, List.of(), List.of(), List.of(providers));
    }

    private static Map<String, String> memoryStore() {
        return Map.of("stowage.stores.images.type", "memory",
                "stowage.stores.images.namespace", TestData.namespace("disc"));
    }

    @Test
    void theInMemoryDriverIsFoundFromItsServiceFile() {
        try (Stores stores = Stores.builder().classLoader(drivers()).configuration(memoryStore()).build()) {
            assertThat(stores.defaultStore().type()).isEqualTo("memory");
        }
    }

    @Test
    void brokenUnrelatedProvidersAreLoggedAndDoNotStopAWorkingConfiguration() {
        ClassLoader loader = TestProviders.loaderWith(dir, List.of(BrokenDriver.class), List.of(MISSING), List.of());
        try (LogCapture log = new LogCapture();
             Stores stores = Stores.builder().classLoader(loader).configuration(memoryStore()).build()) {
            assertThat(stores.storeNames()).containsExactly("images");
            assertThat(log.lines(Level.WARNING))
                    .anySatisfy(line -> assertThat(line).contains("Ignoring store driver provider "
                            + BrokenDriver.class.getName() + ": ").contains("could not be instantiated")
                            .contains("missing native library"))
                    .anySatisfy(line -> assertThat(line).contains("Ignoring store driver provider " + MISSING + ": ")
                            .contains("not found"));
        }
    }

    @Test
    void aMissingTypeWithBrokenProvidersNamesThem() {
        ClassLoader loader = TestProviders.loaderWith(dir, List.of(BrokenDriver.class), List.of(MISSING), List.of());
        assertThatThrownBy(() -> Stores.builder().classLoader(loader).set("stowage.stores.b.type", "broken").build())
                .isInstanceOf(DriverLoadException.class)
                .hasMessageStartingWith("Cannot configure store b: unknown store type 'broken' in "
                        + "'stowage.stores.b.type'; known types: memory; these store driver providers failed to load "
                        + "and may provide it: " + BrokenDriver.class.getName() + " (")
                .hasMessageContaining(MISSING + " (")
                .hasMessageContaining("missing native library");
    }

    @Test
    void twoProvidersOfAUsedTypeFailNamingBoth() {
        assertThatThrownBy(() -> Stores.builder().classLoader(drivers(OtherMemoryDriver.class))
                .configuration(memoryStore()).build())
                .isInstanceOf(DriverLoadException.class)
                .hasMessage("Cannot configure store images: store type 'memory' is provided by 2 drivers: "
                        + InMemoryStoreDriver.class.getName() + " and " + OtherMemoryDriver.class.getName()
                        + "; keep one: remove the other jars from the class path (or do not pass the driver to "
                        + "Stores.builder().driver(...))");
    }

    @Test
    void twoProvidersOfAnUnusedTypeAreOnlyLogged() {
        try (LogCapture log = new LogCapture();
             Stores stores = Stores.builder().classLoader(drivers(OtherMemoryDriver.class))
                     .driver(new dev.stowage.testing.FaultyStoreDriver())
                     .set("stowage.stores.f.type", "faulty").build()) {
            assertThat(stores.storeNames()).containsExactly("f");
            assertThat(log.lines(Level.WARNING)).anySatisfy(line -> assertThat(line)
                    .contains("Several store driver providers claim 'memory': " + InMemoryStoreDriver.class.getName()
                            + " and " + OtherMemoryDriver.class.getName()));
        }
    }

    @Test
    void anExplicitDriverOfADiscoveredClassIsNotADuplicate() {
        try (Stores stores = Stores.builder().classLoader(drivers()).driver(new InMemoryStoreDriver())
                .configuration(memoryStore()).build()) {
            assertThat(stores.defaultStore().type()).isEqualTo("memory");
        }
    }

    @Test
    void twoUsedDriversClaimingOneSchemeFailNamingBoth() {
        assertThatThrownBy(() -> Stores.builder().classLoader(drivers(SchemeThiefDriver.class))
                .set("stowage.stores.a.type", "memory").set("stowage.stores.b.type", "thief")
                .set("stowage.default-store", "a").build())
                .isInstanceOf(DriverLoadException.class)
                .hasMessage("Cannot configure stores a and b: URI scheme 'memory' is claimed by two store drivers: "
                        + InMemoryStoreDriver.class.getName() + " (type memory) and "
                        + SchemeThiefDriver.class.getName() + " (type thief), so locations of that scheme could not "
                        + "be dispatched; use stores of only one of these types, or remove one driver's jar");
        // the same drivers are fine while only one of them is used
        try (Stores stores = Stores.builder().classLoader(drivers(SchemeThiefDriver.class))
                .set("stowage.stores.b.type", "thief").build()) {
            assertThat(stores.defaultStore().type()).isEqualTo("memory");
        }
    }

    @Test
    void providersWithInvalidNamesAreBroken() {
        StoreDriver upperCase = new OtherMemoryDriver();
        Providers.Found<StoreDriver> found = Providers.discover(StoreDriver.class, null,
                List.of(upperCase, new InMemoryStoreDriver()), driver -> driver == upperCase ? "Memory" : "memory");
        assertThat(found.byName()).containsOnlyKeys("memory");
        assertThat(found.broken()).singleElement().satisfies(broken -> {
            assertThat(broken.className()).isEqualTo(upperCase.getClass().getName());
            assertThat(broken.reason()).isEqualTo("it claims the invalid name 'Memory' (names are non-blank "
                    + "lower-case text)");
        });
    }

    // -- strategies ------------------------------------------------------------------------------------------------

    @Test
    void aStrategyIsFoundByName() {
        try (Stores stores = Stores.builder().classLoader(strategies(ReverseStrategy.class))
                .configuration(memoryStore()).set("stowage.location-strategy", "reverse").build()) {
            assertThat(stores.strategyName()).isEqualTo("reverse");
            Location a = Location.of(java.net.URI.create("memory://x/a"));
            Location b = Location.of(java.net.URI.create("memory://x/b"));
            assertThat(stores.order(List.of(a, b))).containsExactly(b, a);
        }
    }

    @Test
    void anUnknownStrategyListsTheKnownNames() {
        assertThatThrownBy(() -> Stores.builder().classLoader(strategies(ReverseStrategy.class,
                        HeaviestFirstStrategy.class))
                .configuration(memoryStore()).set("stowage.location-strategy", "revers").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: unknown location strategy 'revers' in "
                        + "'stowage.location-strategy' (did you mean 'reverse'?); known strategies: heaviest_first, "
                        + "location_order, reverse")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.location-strategy");
    }

    @Test
    void aStrategyNameProvidedTwiceFailsNamingBoth() {
        assertThatThrownBy(() -> Stores.builder().classLoader(strategies(ReverseStrategy.class,
                        OtherReverseStrategy.class))
                .configuration(memoryStore()).set("stowage.location-strategy", "reverse").build())
                .isInstanceOf(DriverLoadException.class)
                .hasMessage("Cannot configure stowage: location strategy 'reverse' in 'stowage.location-strategy' is "
                        + "provided by 2 classes: " + ReverseStrategy.class.getName() + " and "
                        + OtherReverseStrategy.class.getName() + "; keep one: remove the other jars from the class "
                        + "path (or do not pass the strategy to Stores.builder().strategy(...))");
    }

    @Test
    void aBrokenStrategyIsNamedWhenTheConfiguredOneIsMissing() {
        assertThatThrownBy(() -> Stores.builder().classLoader(strategies(BrokenStrategy.class))
                .configuration(memoryStore()).set("stowage.location-strategy", "broken_strategy").build())
                .isInstanceOf(DriverLoadException.class)
                .hasMessageStartingWith("Cannot configure stowage: unknown location strategy 'broken_strategy' in "
                        + "'stowage.location-strategy'; known strategies: location_order; these location strategy "
                        + "providers failed to load and may provide it: " + BrokenStrategy.class.getName() + " (")
                .hasMessageContaining("strategy cannot start");
        // and it does not matter while another strategy is configured
        try (Stores stores = Stores.builder().classLoader(strategies(BrokenStrategy.class, ReverseStrategy.class))
                .configuration(memoryStore()).set("stowage.location-strategy", "reverse").build()) {
            assertThat(stores.strategyName()).isEqualTo("reverse");
        }
    }

    @Test
    void locationOrderNeedsNoProviderAndNoLookup() {
        // a broken strategy provider is not even loaded when no strategy is configured
        try (LogCapture log = new LogCapture();
             Stores stores = Stores.builder().classLoader(strategies(BrokenStrategy.class))
                     .configuration(memoryStore()).build()) {
            assertThat(stores.strategyName()).isEqualTo("location_order");
            assertThat(log.text()).doesNotContain(BrokenStrategy.class.getName());
        }
        try (Stores stores = Stores.builder().classLoader(strategies()).configuration(memoryStore())
                .set("stowage.location-strategy", "location_order").build()) {
            assertThat(stores.strategyName()).isEqualTo("location_order");
        }
    }

    @Test
    void anExplicitStrategyInstanceIsUsed() {
        try (Stores stores = Stores.builder().strategy(new LossyStrategy()).configuration(memoryStore())
                .set("stowage.location-strategy", "lossy").build()) {
            assertThat(stores.strategyName()).isEqualTo("lossy");
        }
    }
}
