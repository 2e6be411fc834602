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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with the real file store: the registry side adds an image to a file store configured with a file system
 * id and mountpoint; the client side reaches the same directory through a symbolic link and copies directly, or
 * streams through {@code Stores.open} when its mount table does not know the id.
 */
class DirectAccessFileStoreTest {
    private static final String IMAGE_ID = "7f2e4c1a-5b3d-4e6f-8a9b-0c1d2e3f4a5b";

    @TempDir
    Path dir;

    private Stores registry;
    private Path clientMount;
    private byte[] image;
    private AddResult added;

    @BeforeEach
    void setUp() throws IOException {
        Path export = Files.createDirectories(dir.resolve("export")).toRealPath();
        clientMount = Files.createSymbolicLink(dir.resolve("client-mnt"), export);
        registry = Stores.fromMap(Map.of(
                "stowage.stores.shared.type", "file",
                "stowage.stores.shared.datadir", export.resolve("images").toString(),
                "stowage.stores.shared.id", "nfs-1",
                "stowage.stores.shared.mountpoint", export + "/"));
        image = new byte[1024 * 1024 + 3];
        new Random(11).nextBytes(image);
        added = registry.add(IMAGE_ID, new ByteArrayInputStream(image), image.length);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private DirectAccess client(String id) {
        Map<String, String> config = new HashMap<>();
        config.put("stowage.direct.shared.id", id);
        config.put("stowage.direct.shared.mountpoint", clientMount.toString());
        return DirectAccess.create(MountTable.fromConfig(config), registry::open);
    }

    @Test
    void theFileStoresLocationIsCopiedDirectlyThroughTheClientsMount() throws IOException {
        Location location = added.location();
        assertThat(location.scheme()).isEqualTo("file");
        assertThat(location.metadata()).containsEntry("id", "nfs-1").containsKey("mountpoint");

        CopyResult result = client("nfs-1").copy(List.of(location), ExpectedContent.of(added), dir.resolve("copy"));

        assertThat(result.method()).isEqualTo(Method.DIRECT);
        assertThat(result.source()).contains(clientMount.resolve("images").resolve(IMAGE_ID));
        assertThat(result.multihash()).isEqualTo(added.multihash());
        assertThat(Files.readAllBytes(dir.resolve("copy"))).isEqualTo(image);
    }

    @Test
    void anotherFileSystemIdIsStreamedFromTheStore() throws IOException {
        CopyResult result = client("nfs-2").copy(List.of(added.location()), ExpectedContent.of(added),
                dir.resolve("copy"));

        assertThat(result.method()).isEqualTo(Method.STREAMED);
        assertThat(result.skipped()).extracting(CopyResult.Skipped::reason)
                .containsExactly("no local mount for file system id 'nfs-1'");
        assertThat(Files.readAllBytes(dir.resolve("copy"))).isEqualTo(image);
    }
}
