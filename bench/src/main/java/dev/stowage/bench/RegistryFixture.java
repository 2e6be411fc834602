package dev.stowage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.samples.registry.Registry;
import dev.stowage.samples.registry.RegistrySettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The registry sample started in this JVM with one file store (file system id {@value #FILE_SYSTEM_ID}), and one image
 * uploaded through its HTTP API. What a client sees of the image (its locations with their metadata, size and
 * multihash) is read back through the API, as a client would.
 */
final class RegistryFixture implements AutoCloseable {
    static final String FILE_SYSTEM_ID = "bench-registry-fs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Registry registry;
    private final HttpClient client;
    private final Path images;
    private final URI base;

    /** The image as the API shows it. */
    record Image(String id, URI file, long size, Multihash multihash, List<Location> locations) {
    }

    private RegistryFixture(Registry registry, HttpClient client, Path images) {
        this.registry = registry;
        this.client = client;
        this.images = images;
        this.base = URI.create("http://127.0.0.1:" + registry.port());
    }

    static RegistryFixture start(Path dataDir, HttpClient client) throws Exception {
        Path images = dataDir.resolve("images");
        Properties stowage = new Properties();
        stowage.setProperty("stowage.stores.local.type", "file");
        stowage.setProperty("stowage.stores.local.datadir", images.toString());
        stowage.setProperty("stowage.stores.local.id", FILE_SYSTEM_ID);
        stowage.setProperty("stowage.stores.local.mountpoint", images.toString());
        stowage.setProperty("stowage.default-store", "local");
        Registry registry = Registry.start(new RegistrySettings("127.0.0.1", 0, dataDir, true, true, stowage));
        return new RegistryFixture(registry, client, images);
    }

    /** Where the registry's file store keeps images: the "mount" a client on this machine copies from. */
    Path images() {
        return images;
    }

    /** Creates an image and uploads {@code file} as its data, then reads the image back. */
    Image upload(String name, Path file) throws IOException, InterruptedException {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(base.resolve("/v2/images"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name
                        + "\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        check(created, 201, "create image");
        String id = JSON.readTree(created.body()).get("id").asText();
        HttpResponse<String> uploaded = client.send(HttpRequest.newBuilder(base.resolve("/v2/images/" + id + "/file"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        check(uploaded, 204, "upload image data");
        return show(id);
    }

    Image show(String id) throws IOException, InterruptedException {
        HttpResponse<String> shown = client.send(HttpRequest.newBuilder(base.resolve("/v2/images/" + id)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        check(shown, 200, "show image");
        JsonNode image = JSON.readTree(shown.body());
        List<Location> locations = new ArrayList<>();
        for (JsonNode entry : image.get("locations")) {
            Map<String, String> metadata = new LinkedHashMap<>();
            entry.get("metadata").fields().forEachRemaining(field -> metadata.put(field.getKey(),
                    field.getValue().asText()));
            String store = metadata.remove("store");
            locations.add(Location.of(URI.create(entry.get("url").asText()), store == null ? "" : store, metadata));
        }
        Multihash multihash = new Multihash(HashAlgorithm.fromId(image.get("os_hash_algo").asText()),
                image.get("os_hash_value").asText());
        return new Image(id, base.resolve(image.get("file").asText()), image.get("size").asLong(), multihash,
                List.copyOf(locations));
    }

    private static void check(HttpResponse<String> response, int expected, String what) throws IOException {
        if (response.statusCode() != expected) {
            throw new IOException("registry: " + what + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    @Override
    public void close() throws Exception {
        registry.close();
    }
}
