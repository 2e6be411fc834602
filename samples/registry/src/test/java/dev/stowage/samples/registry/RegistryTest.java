package dev.stowage.samples.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private Registry registry;
    private HttpClient http;
    private String base;

    @BeforeEach
    void start() throws Exception {
        registry = Registry.start(settings());
        http = HttpClient.newHttpClient();
        base = "http://127.0.0.1:" + registry.port();
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private RegistrySettings settings() throws IOException {
        Path file = dataDir.resolve("registry.properties");
        Properties properties = new Properties();
        properties.setProperty("registry.port", "0");
        properties.setProperty("registry.data-dir", dataDir.resolve("data").toString());
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        return RegistrySettings.load(file, dataDir);
    }

    @Test
    void createUploadShowDownloadDelete() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);

        JsonNode created = json(send("POST", "/v2/images",
                "{\"name\": \"cirros\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\"}"), 201);
        String id = created.get("id").asText();
        assertThat(created.get("status").asText()).isEqualTo("queued");

        HttpResponse<String> early = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(early.statusCode()).isEqualTo(204);

        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(204);

        JsonNode shown = json(send("GET", "/v2/images/" + id, null), 200);
        assertThat(shown.get("status").asText()).isEqualTo("active");
        assertThat(shown.get("size").asLong()).isEqualTo(data.length);
        assertThat(shown.get("checksum").asText()).isEqualTo(hex("MD5", data));
        assertThat(shown.get("os_hash_algo").asText()).isEqualTo("sha512");
        assertThat(shown.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", data));
        String directUrl = shown.get("direct_url").asText();
        assertThat(directUrl).startsWith("file:///").endsWith("/" + id);
        assertThat(Files.readAllBytes(Path.of(URI.create(directUrl)))).isEqualTo(data);
        JsonNode location = shown.get("locations").get(0);
        assertThat(location.get("url").asText()).isEqualTo(directUrl);
        assertThat(location.get("metadata").get("id").asText()).isEqualTo("registry-local");
        assertThat(location.get("metadata").get("store").asText()).isEqualTo("local");

        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(
                URI.create(base + "/v2/images/" + id + "/file")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(data);

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("its status is active");

        assertThat(send("DELETE", "/v2/images/" + id, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/v2/images/" + id, null).statusCode()).isEqualTo(404);
        assertThat(Files.exists(Path.of(URI.create(directUrl)))).isFalse();
    }

    @Test
    void uploadToNamedStoresInOnePassOrderedByWeight() throws Exception {
        registry.close();
        Path file = dataDir.resolve("two-stores.properties");
        Properties properties = new Properties();
        properties.setProperty("registry.port", "0");
        properties.setProperty("registry.data-dir", dataDir.resolve("two").toString());
        properties.setProperty("stowage.stores.fast.type", "file");
        properties.setProperty("stowage.stores.fast.datadir", dataDir.resolve("fast").toString());
        properties.setProperty("stowage.stores.fast.weight", "100");
        properties.setProperty("stowage.stores.bulk.type", "file");
        properties.setProperty("stowage.stores.bulk.datadir", dataDir.resolve("bulk").toString());
        properties.setProperty("stowage.default-store", "bulk");
        properties.setProperty("stowage.location-strategy", "weight");
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        registry = Registry.start(RegistrySettings.load(file, dataDir));
        base = "http://127.0.0.1:" + registry.port();

        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        String id = json(send("POST", "/v2/images", "{\"name\": \"both\"}"), 201).get("id").asText();
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .header("X-Image-Meta-Store", "bulk, fast")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(204);

        JsonNode shown = json(send("GET", "/v2/images/" + id, null), 200);
        assertThat(shown.get("locations")).hasSize(2);
        assertThat(shown.get("locations").get(0).get("metadata").get("store").asText()).isEqualTo("fast");
        assertThat(shown.get("locations").get(1).get("metadata").get("store").asText()).isEqualTo("bulk");
        assertThat(Path.of(URI.create(shown.get("direct_url").asText())))
                .isEqualTo(dataDir.resolve("fast").resolve(id).toRealPath());
        assertThat(dataDir.resolve("fast").resolve(id)).hasBinaryContent(data);
        assertThat(dataDir.resolve("bulk").resolve(id)).hasBinaryContent(data);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(data);

        String other = json(send("POST", "/v2/images", "{\"name\": \"nowhere\"}"), 201).get("id").asText();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/v2/images/" + other + "/file"))
                .header("X-Image-Meta-Store", "fast, tape")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("tape");
        assertThat(json(send("GET", "/v2/images/" + other, null), 200).get("status").asText()).isEqualTo("queued");
        assertThat(dataDir.resolve("fast").resolve(other)).doesNotExist();
    }

    @Test
    void recordsSurviveARestart() throws Exception {
        String id = json(send("POST", "/v2/images", "{\"name\": \"kept\", \"id\": \"kept-1\"}"), 201)
                .get("id").asText();
        byte[] data = "persistent bytes".getBytes();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(204);
        registry.close();
        registry = Registry.start(settings());
        base = "http://127.0.0.1:" + registry.port();
        JsonNode shown = json(send("GET", "/v2/images/kept-1", null), 200);
        assertThat(shown.get("name").asText()).isEqualTo("kept");
        assertThat(shown.get("status").asText()).isEqualTo("active");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/kept-1/file")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(data);
    }

    @Test
    void anUploadCutOffByACrashIsQueuedAgainAndItsDataRemoved() throws Exception {
        String id = json(send("POST", "/v2/images", "{\"name\": \"crashed\"}"), 201).get("id").asText();
        registry.close();
        // the state a crash leaves after the store finished the add and before the location was recorded
        RegistrySettings settings = settings();
        try (ImageRepository repository = new ImageRepository(settings.dataDir().resolve("registry"));
             dev.stowage.api.Stores stores = dev.stowage.api.Stores.fromProperties(settings.stowage())) {
            assertThat(repository.startUpload(id)).isTrue();
            stores.add(id, new java.io.ByteArrayInputStream(new byte[1000]), 1000);
        }
        Path orphan = dataDir.resolve("data").resolve("images").resolve(id);
        assertThat(orphan).exists();

        registry = Registry.start(settings);
        base = "http://127.0.0.1:" + registry.port();
        assertThat(json(send("GET", "/v2/images/" + id, null), 200).get("status").asText()).isEqualTo("queued");
        assertThat(orphan).doesNotExist();
        byte[] data = "uploaded again".getBytes();
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(204);
        assertThat(orphan).hasBinaryContent(data);
    }

    @Test
    void failedUploadLeavesImageQueuedAndNoData() throws Exception {
        String id = json(send("POST", "/v2/images", "{\"name\": \"broken\"}"), 201).get("id").asText();
        // the client declares 100 bytes, sends 10 and hangs up: the upload fails and nothing may be left
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", registry.port())) {
            socket.getOutputStream().write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n0123456789")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes();
        }
        // the server notices the cut-off upload on its own thread; wait (bounded) until the upload has ended
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (json(send("GET", "/v2/images/" + id, null), 200).get("status").asText().equals("saving")
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        JsonNode shown = json(send("GET", "/v2/images/" + id, null), 200);
        assertThat(shown.get("status").asText()).isEqualTo("queued");
        assertThat(shown.get("locations")).isEmpty();
        try (Stream<Path> files = Files.walk(dataDir.resolve("data").resolve("images"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void patchAddsAValidatedLocationAndRejectsForeignOnes() throws Exception {
        String id = json(send("POST", "/v2/images", "{\"name\": \"two\"}"), 201).get("id").asText();
        byte[] data = "two copies".getBytes();
        http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> bad = send("PATCH", "/v2/images/" + id,
                "[{\"op\": \"add\", \"path\": \"/locations/-\", \"value\": {\"url\": \"gopher://x/y\"}}]");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("gopher");
        HttpResponse<String> renamed = send("PATCH", "/v2/images/" + id,
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"renamed\"}]");
        assertThat(json(renamed, 200).get("name").asText()).isEqualTo("renamed");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }
}
