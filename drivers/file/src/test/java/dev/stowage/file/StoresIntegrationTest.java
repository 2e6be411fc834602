package dev.stowage.file;

import dev.stowage.api.AddResult;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.Location;
import dev.stowage.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.stowage.file.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file store as a registry uses it: found by type through {@link Stores}, configured from plain keys. */
class StoresIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void aRegistryAddsReadsAndParsesGlanceLocationsThroughStores() throws Exception {
        byte[] data = TestStores.bytes(123_456, 1);
        try (Stores stores = Stores.fromMap(Map.of(
                "stowage.stores.local.type", "file",
                "stowage.stores.local.datadir", dir.resolve("images").toString(),
                "stowage.stores.local.id", "local-disk",
                "stowage.stores.local.mountpoint", dir.toString()))) {
            AddResult added = stores.add("a9ff0a36-c6bd-4c4e-b3b2-50a2a1cf4e44", new ByteArrayInputStream(data),
                    data.length);
            assertThat(added.location().store()).isEqualTo("local");
            assertThat(added.location().metadata()).containsEntry("id", "local-disk");
            assertThat(read(stores.get(added.location()))).isEqualTo(data);

            // a location glance recorded, with its old scheme and no store name
            URI legacy = URI.create("filesystem://" + dir.toRealPath().resolve("images") + "/"
                    + "a9ff0a36-c6bd-4c4e-b3b2-50a2a1cf4e44");
            Location parsed = stores.location(legacy);
            assertThat(parsed).isEqualTo(added.location());
            assertThat(read(stores.open(List.of(Location.of(legacy))))).isEqualTo(data);
        }
    }

    @Test
    void configurationErrorsCarryTheFullKey() {
        assertThatThrownBy(() -> Stores.fromMap(Map.of(
                "stowage.stores.local.type", "file",
                "stowage.stores.local.datadir", dir.toString(),
                "stowage.stores.local.datadirs", dir + ":1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store local: give either 'stowage.stores.local.datadir' (one directory)"
                        + " or 'stowage.stores.local.datadirs' (several with priorities), not both");
    }
}
