package org.example.stowage.cas;

import dev.stowage.api.ConfigurationException;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CasStoreDriverTest {
    @TempDir
    Path root;

    private static Store create(String storeName, Map<String, String> options) {
        CasStoreDriver driver = new CasStoreDriver();
        return driver.create(StoreConfig.parse(storeName, "stowage.stores." + storeName + ".", driver.options(),
                options));
    }

    private Map<String, String> withRoot(Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        all.put("root", root.toString());
        return all;
    }

    @Test
    void serviceLoaderFindsTheDriverThroughTheServicesFile() {
        assertThat(ServiceLoader.load(StoreDriver.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(driver -> driver.type().equals("cas"))
                .singleElement()
                .isInstanceOf(CasStoreDriver.class)
                .satisfies(driver -> assertThat(driver.schemes()).containsExactly("cas"));
    }

    @Test
    void aNewStoreCreatesItsLayoutAndUsesTheStoreNameAsId() {
        try (Store store = create("images", withRoot(Map.of()))) {
            assertThat(store.name()).isEqualTo("images");
            assertThat(store.type()).isEqualTo("cas");
            assertThat(store.toString()).isEqualTo("CasStore[images: id=images, root=" + root + "]");
        }
        assertThat(root.resolve("refs")).isDirectory();
        assertThat(root.resolve("blobs")).isDirectory();
        assertThat(root.resolve("tmp")).isDirectory().isEmptyDirectory();
    }

    @Test
    void theRootIsRequired() {
        assertThatThrownBy(() -> create("images", Map.of()))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("stowage.stores.images.root"))
                .hasMessageStartingWith("Cannot configure store images: option 'stowage.stores.images.root' is "
                        + "required");
    }

    @Test
    void aMistypedOptionIsRejectedWithASuggestion() {
        assertThatThrownBy(() -> create("images", withRoot(Map.of("buffer-sise", "1MiB"))))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("stowage.stores.images.buffer-sise"))
                .hasMessageContaining("unknown option 'stowage.stores.images.buffer-sise' (did you mean "
                        + "'buffer-size'?)");
    }

    @Test
    void aBufferSizeOutsideItsBoundsIsRejected() {
        assertThatThrownBy(() -> create("images", withRoot(Map.of("buffer-size", "1KiB"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'stowage.stores.images.buffer-size' has invalid "
                        + "value '1KiB': must be between 4KiB and 16MiB");
    }

    @Test
    void aStoreNameThatCannotBeAnIdAsksForTheIdOption() {
        assertThatThrownBy(() -> create("My_Images", withRoot(Map.of())))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("stowage.stores.My_Images.id"))
                .hasMessage("Cannot configure store My_Images: the store name is not usable as the id in "
                        + "locations; set option 'stowage.stores.My_Images.id' (1-63 lower-case letters, digits or "
                        + "'-')");
        try (Store store = create("My_Images", withRoot(Map.of("id", "images")))) {
            assertThat(store.toString()).contains("id=images");
        }
    }

    @Test
    void aRootThatIsAFileIsRejectedNamingTheKey() throws Exception {
        Path file = Files.writeString(root.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> create("images", Map.of("root", file.toString())))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("stowage.stores.images.root"))
                .hasMessageStartingWith("Cannot configure store images: root " + file
                        + " (option 'stowage.stores.images.root') cannot be used: ");
    }

    @Test
    void aReadOnlyStoreNeedsAnExistingStore() {
        assertThatThrownBy(() -> create("images", withRoot(Map.of("read-only", "true"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: root " + root
                        + " (option 'stowage.stores.images.root') is not a cas store (no refs/ and blobs/)");
        assertThat(root).isEmptyDirectory();
    }
}
