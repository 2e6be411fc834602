package dev.stowage.api;

import dev.stowage.testing.FaultyStoreDriver;
import dev.stowage.testing.InMemoryStoreDriver;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoresConfigurationTest {

    private static Stores build(Map<String, String> config) {
        return Stores.builder().configuration(config).driver(new FaultyStoreDriver()).build();
    }

    @Test
    void oneStoreFromAMapIsTheDefault() {
        String ns = TestData.namespace("one");
        try (Stores stores = Stores.fromMap(Map.of("stowage.stores.images.type", "memory",
                "stowage.stores.images.namespace", ns))) {
            assertThat(stores.storeNames()).containsExactly("images");
            assertThat(stores.defaultStoreName()).isEqualTo("images");
            assertThat(stores.defaultStore().name()).isEqualTo("images");
            assertThat(stores.defaultStore().type()).isEqualTo("memory");
            assertThat(stores.weight("images")).isZero();
            assertThat(stores.strategyName()).isEqualTo("location_order");
            assertThat(stores.strategyContext().storeWeights()).containsExactly(Map.entry("images", 0));
        }
    }

    @Test
    void propertiesWithDefaultsAndSeveralStores() {
        Properties defaults = new Properties();
        defaults.setProperty("stowage.stores.b.type", "memory");
        defaults.setProperty("stowage.stores.b.weight", "7");
        Properties config = new Properties(defaults);
        config.setProperty("stowage.stores.a.type", "memory");
        config.setProperty("stowage.stores.a.namespace", TestData.namespace("a"));
        config.setProperty("stowage.stores.a.weight", " -3 ");
        config.setProperty("stowage.default-store", "b");
        config.setProperty("stowage.store-type-preference", " memory , , file,memory");
        config.setProperty("app.unrelated.key", "ignored");
        try (Stores stores = Stores.fromProperties(config)) {
            assertThat(stores.storeNames()).containsExactly("a", "b");
            assertThat(stores.defaultStoreName()).isEqualTo("b");
            assertThat(stores.weight("a")).isEqualTo(-3);
            assertThat(stores.weight("b")).isEqualTo(7);
            assertThat(stores.strategyContext().storeWeights()).isEqualTo(Map.of("a", -3, "b", 7));
            assertThat(stores.strategyContext().storeTypePreference()).containsExactly("memory", "file");
        }
    }

    @Test
    void builderSetsKeysOneByOneAndLaterValuesWin() {
        try (Stores stores = Stores.builder().set("stowage.stores.x.type", "memory")
                .configuration(Map.of("stowage.stores.x.weight", "1")).set("stowage.stores.x.weight", "2")
                .build()) {
            assertThat(stores.weight("x")).isEqualTo(2);
        }
    }

    @Test
    void severalStoresNeedADefault() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.a.type", "memory",
                "stowage.stores.b.type", "memory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: 2 stores are configured (a, b) and 'stowage.default-store' is "
                        + "not set; set it to one of them")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.default-store");
    }

    @Test
    void defaultStoreMustExistAndGetsASuggestion() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.type", "memory",
                "stowage.stores.backup.type", "memory", "stowage.default-store", "imgaes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: 'stowage.default-store' names store 'imgaes', which is not "
                        + "configured (did you mean 'images'?); configured stores: backup, images");
    }

    @Test
    void noStoreAtAll() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("other.key", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure stowage: no store is configured")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores");
    }

    @Test
    void unknownTopLevelKeySuggestsTheNearest() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.a.type", "memory",
                "stowage.default_store", "a")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure stowage: unknown key 'stowage.default_store' (did you mean "
                        + "'stowage.default-store'?); known keys: stowage.stores.<name>.type")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.default_store");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.store.images.type", "memory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure stowage: unknown key 'stowage.store.images.type' (did you "
                        + "mean 'stowage.stores.images.type'?)");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.a.type", "memory",
                "stowage.location-stratgy", "weight")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown key 'stowage.location-stratgy' (did you mean "
                        + "'stowage.location-strategy'?)");
    }

    @Test
    void misspelledPrefixIsAnErrorButOtherKeysAreIgnored() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.a.type", "memory",
                "stowge.stores.a.namespace", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: unknown key 'stowge.stores.a.namespace' (did you mean "
                        + "'stowage.stores.a.namespace'?)");
        try (Stores stores = Stores.fromMap(Map.of("stowage.stores.a.type", "memory", "storage.path", "/x",
                "server.port", "80"))) {
            assertThat(stores.storeNames()).containsExactly("a");
        }
    }

    @Test
    void directAccessKeysAreLeftToTheMountTable() {
        try (Stores stores = Stores.fromMap(Map.of("stowage.stores.a.type", "memory",
                "stowage.direct.shared.id", "nfs-1", "stowage.direct.shared.mountpoint", "/mnt/images"))) {
            assertThat(stores.storeNames()).containsExactly("a");
        }
    }

    @Test
    void unknownStoreOptionNamesTheFullKeyAndSuggests() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.type", "memory",
                "stowage.stores.images.namespce", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: unknown option 'stowage.stores.images.namespce' (did you "
                        + "mean 'namespace'?); known options of type memory: type, weight, namespace, access-key, "
                        + "fail-adds-after")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores.images.namespce");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.type", "memory",
                "stowage.stores.images.wieght", "3")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store images: unknown option "
                        + "'stowage.stores.images.wieght' (did you mean 'weight'?)");
    }

    @Test
    void badValuesNameKeyAndValue() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.type", "memory",
                "stowage.stores.images.weight", "heavy")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store images: option 'stowage.stores.images.weight' has "
                        + "invalid value 'heavy': ");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.type", "memory",
                "stowage.stores.images.fail-adds-after", "soon")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store images: option "
                        + "'stowage.stores.images.fail-adds-after' has invalid value 'soon': ")
                .extracting(e -> ((ConfigurationException) e).key())
                .isEqualTo("stowage.stores.images.fail-adds-after");
    }

    @Test
    void storeNamesAreLowerCase() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.Images.type", "memory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: store name 'Images' in key 'stowage.stores.Images.type' is "
                        + "not valid (did you mean 'images'?); store names are lower-case letters, digits, '-' and "
                        + "'_', starting with a letter or digit");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores._x.type", "memory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure stowage: store name '_x' in key 'stowage.stores._x.type' "
                        + "is not valid; ");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores..type", "memory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure stowage: store name '' in key 'stowage.stores..type'");
    }

    @Test
    void everyStoreNeedsAType() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.namespace", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: 'stowage.stores.images.type' is not set; every store "
                        + "needs a type");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.typ", "memory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: 'stowage.stores.images.type' is not set "
                        + "('stowage.stores.images.typ' looks like a misspelling of it); every store needs a type");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images.type", "  ")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: key 'stowage.stores.images.type' is blank");
        assertThatThrownBy(() -> Stores.fromMap(Map.of("stowage.stores.images", "memory")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: key 'stowage.stores.images' names no option; expected "
                        + "stowage.stores.images.<option>, e.g. stowage.stores.images.type");
    }

    @Test
    void unknownTypeListsKnownTypesWithASuggestion() {
        assertThatThrownBy(() -> build(Map.of("stowage.stores.images.type", "memroy")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: unknown store type 'memroy' in "
                        + "'stowage.stores.images.type' (did you mean 'memory'?); known types: faulty, memory")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores.images.type");
    }

    @Test
    void nullKeysAndValuesAreRefused() {
        Map<String, String> config = new HashMap<>();
        config.put("stowage.stores.a.type", null);
        assertThatThrownBy(() -> Stores.fromMap(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: key 'stowage.stores.a.type' has no value");
        Properties properties = new Properties();
        properties.put("stowage.stores.a.type", 42);
        assertThatThrownBy(() -> Stores.fromProperties(properties))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure stowage: the value of 'stowage.stores.a.type' is not a string");
    }

    @Test
    void everyOptionIsCheckedBeforeAnyStoreIsCreated() {
        String ns = TestData.namespace("checked-first");
        // store "a" is valid and sorts first; store "b" has a bad value: nothing may be created
        assertThatThrownBy(() -> build(Map.of(
                "stowage.stores.a.type", "faulty", "stowage.stores.a.namespace", ns,
                "stowage.stores.b.type", "faulty", "stowage.stores.b.namespace", ns,
                "stowage.stores.b.die-after", "lots", "stowage.default-store", "a")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store b: option 'stowage.stores.b.die-after' has invalid "
                        + "value 'lots'");
        assertThat(FaultyStoreDriver.created(ns)).isEmpty();
        assertThatThrownBy(() -> build(Map.of(
                "stowage.stores.a.type", "faulty", "stowage.stores.a.namespace", ns,
                "stowage.stores.z.type", "faulty", "stowage.stores.z.namespace", ns,
                "stowage.default-store", "nope")))
                .isInstanceOf(ConfigurationException.class);
        assertThat(FaultyStoreDriver.created(ns)).isEmpty();
    }

    @Test
    void aStoreThatFailsToStartClosesTheOnesAlreadyCreated() {
        String ns = TestData.namespace("rollback");
        assertThatThrownBy(() -> build(Map.of(
                "stowage.stores.a.type", "faulty", "stowage.stores.a.namespace", ns,
                "stowage.stores.b.type", "faulty", "stowage.stores.b.namespace", ns,
                "stowage.stores.c.type", "faulty", "stowage.stores.c.namespace", ns,
                "stowage.stores.c.fail-create", "true", "stowage.stores.c.password", "hunter2-secret",
                "stowage.default-store", "a")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot create store c (type faulty): IllegalStateException: cannot log in to the backend "
                        + "with password ****")
                .hasNoCause()
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores.c");
        List<FaultyStoreDriver.FaultyStore> created = FaultyStoreDriver.created(ns);
        assertThat(created).extracting(FaultyStoreDriver.FaultyStore::name).containsExactly("a", "b");
        assertThat(created).allMatch(FaultyStoreDriver.FaultyStore::isClosed);
    }

    @Test
    void aDriverMustNameTheStoreAsConfigured() {
        assertThatThrownBy(() -> Stores.builder().driver(new TestProviders.MisnamingDriver())
                .set("stowage.stores.a.type", "misnaming").set("stowage.stores.a.namespace", TestData.namespace("m"))
                .build())
                .isInstanceOf(DriverLoadException.class)
                .hasMessage("Cannot create store a: driver dev.stowage.api.TestProviders$MisnamingDriver made a "
                        + "store named 'a-other' (a store must carry its configured name)");
    }

    @Test
    void aDriverMayNotDeclareReservedOptions() {
        assertThatThrownBy(() -> Stores.builder().driver(new TestProviders.ReservedOptionDriver())
                .set("stowage.stores.a.type", "reserved").build())
                .isInstanceOf(DriverLoadException.class)
                .hasMessage("Cannot configure store a: driver dev.stowage.api.TestProviders$ReservedOptionDriver "
                        + "(type reserved) declares option 'weight', which Stores reserves for every store");
    }

    @Test
    void withoutDiscoveryOnlyGivenDriversAreKnown() {
        assertThatThrownBy(() -> Stores.builder().withoutDiscovery().driver(new FaultyStoreDriver())
                .set("stowage.stores.a.type", "memory").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("unknown store type 'memory' in 'stowage.stores.a.type'; known types: faulty");
        try (Stores stores = Stores.builder().withoutDiscovery().driver(new InMemoryStoreDriver())
                .set("stowage.stores.a.type", "memory").build()) {
            assertThat(stores.defaultStore().type()).isEqualTo("memory");
        }
    }

    @Test
    void toStringShowsStoresTypesWeightsAndOptions() {
        String ns = TestData.namespace("shown");
        try (Stores stores = Stores.fromMap(Map.of("stowage.stores.a.type", "memory",
                "stowage.stores.a.namespace", ns, "stowage.stores.a.weight", "5"))) {
            assertThat(stores).hasToString("Stores[default=a, strategy=location_order, stores=[a (type memory, "
                    + "weight 5, StoreConfig[a: namespace=" + ns + ", fail-adds-after=-1])]]");
        }
    }
}
