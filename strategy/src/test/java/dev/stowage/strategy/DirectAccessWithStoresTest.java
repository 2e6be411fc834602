package dev.stowage.strategy;

import dev.stowage.api.AddResult;
import dev.stowage.api.ExpectedContent;
import dev.stowage.api.Location;
import dev.stowage.api.Stores;
import dev.stowage.strategy.CopyResult.Method;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Direct access wired the way a registry-side process wires it: one configuration for the stores, the strategy and
 * the mount table; the ordering from the strategy module; {@code stores::open} (a failover read) as the fallback.
 */
class DirectAccessWithStoresTest {
    private static final String IMAGE_ID = "0b6c1d47-3c2a-4a8e-9f55-9d1e2c7a6b30";

    @TempDir
    Path dir;

    private Stores stores;
    private Map<String, String> config;
    private byte[] image;
    private Location fileLocation;
    private Location memoryLocation;
    private ExpectedContent expected;

    @BeforeEach
    void setUp() throws IOException {
        Path export = Files.createDirectories(dir.resolve("export"));
        Path clientMount = Files.createSymbolicLink(dir.resolve("mnt"), export);
        image = new byte[256 * 1024 + 17];
        new Random(7).nextBytes(image);
        Path stored = Files.write(export.resolve(IMAGE_ID), image);
        config = Map.of(
                "stowage.stores.mem.type", "memory",
                "stowage.stores.mem.namespace", "with-stores-" + UUID.randomUUID(),
                "stowage.location-strategy", "store_type",
                "stowage.store-type-preference", "file, memory",
                "stowage.direct.shared.id", "nfs-1",
                "stowage.direct.shared.mountpoint", clientMount.toString());
        stores = Stores.fromMap(config);
        AddResult added = stores.add("mem", IMAGE_ID, new ByteArrayInputStream(image), image.length);
        memoryLocation = added.location();
        expected = ExpectedContent.of(added);
        fileLocation = Location.of(stored.toUri(), "shared", Map.of("id", "nfs-1", "mountpoint", export.toString()));
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    @Test
    void theConfiguredOrderPutsTheFileFirstAndItIsCopiedDirectly() throws IOException {
        List<Location> ordered = LocationOrdering.fromConfig(config).order(List.of(memoryLocation, fileLocation));
        DirectAccess access = DirectAccess.create(MountTable.fromConfig(config), stores::open);

        CopyResult result = access.copy(ordered, expected, dir.resolve("copy"));

        assertThat(ordered).containsExactly(fileLocation, memoryLocation);
        assertThat(result.method()).isEqualTo(Method.DIRECT);
        assertThat(Files.readAllBytes(dir.resolve("copy"))).isEqualTo(image);
    }

    @Test
    void withoutTheMountTheFailoverReadOfStoresDeliversTheImage() throws IOException {
        List<Location> ordered = LocationOrdering.fromConfig(config).order(List.of(memoryLocation, fileLocation));
        DirectAccess access = DirectAccess.create(MountTable.empty(), stores::open);

        CopyResult result = access.copy(ordered, expected, dir.resolve("copy"));

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        assertThat(result.skipped()).extracting(CopyResult.Skipped::reason)
                .containsExactly("no local mount for file system id 'nfs-1'", "not a file location");
        assertThat(Files.readAllBytes(dir.resolve("copy"))).isEqualTo(image);
        assertThat(stores.strategyName()).isEqualTo("store_type");
    }
}
