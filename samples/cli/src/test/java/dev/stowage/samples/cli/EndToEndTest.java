package dev.stowage.samples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.samples.registry.Registry;
import dev.stowage.samples.registry.RegistrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry and the CLI together: upload an image, download it over HTTP, and fetch it with {@code stowage get
 * --image} through a client-side mount of the registry's data directory (a symbolic link, so the client's path differs
 * from the store's): the "copied directly" path. Both copies must be byte-identical to the original.
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Registry registry;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path settings = dir.resolve("registry.properties");
        Properties properties = new Properties();
        properties.setProperty("registry.port", "0");
        properties.setProperty("registry.data-dir", dir.resolve("server").toString());
        try (var out = Files.newOutputStream(settings)) {
            properties.store(out, null);
        }
        registry = Registry.start(RegistrySettings.load(settings, dir));
        base = "http://127.0.0.1:" + registry.port();
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    @Test
    void uploadThenDownloadOverHttpAndCopyDirectly() throws Exception {
        byte[] original = new byte[5 * 1024 * 1024 + 123];
        new Random(7).nextBytes(original);
        Path image = dir.resolve("cirros.qcow2");
        Files.write(image, original);

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"cirros\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id + "/file"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(image)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(204);

        HttpResponse<byte[]> downloaded = http.send(HttpRequest.newBuilder(
                URI.create(base + "/v2/images/" + id + "/file")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(original);

        JsonNode shown = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/" + id))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        String mountpoint = shown.get("locations").get(0).get("metadata").get("mountpoint").asText();
        String fsId = shown.get("locations").get(0).get("metadata").get("id").asText();

        // the client sees the same directory through another path
        Path clientMount = Files.createSymbolicLink(dir.resolve("client-mount"), Path.of(mountpoint));
        Path clientConfig = dir.resolve("client.properties");
        Files.writeString(clientConfig, "stowage.direct.shared.id=" + fsId + "\n"
                + "stowage.direct.shared.mountpoint=" + clientMount + "\n");

        Path direct = dir.resolve("direct.qcow2");
        Result result = cli("get", "-c", clientConfig.toString(), "--no-progress", "--image",
                base + "/v2/images/" + id, "-o", direct.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.err()).contains("copied directly from " + clientMount.resolve(id));
        assertThat(Files.readAllBytes(direct)).isEqualTo(original);

        // with a mount table that does not match, the same command streams through the registry
        Path otherConfig = dir.resolve("other.properties");
        Files.writeString(otherConfig, "stowage.direct.shared.id=some-other-fs\n"
                + "stowage.direct.shared.mountpoint=" + clientMount + "\n");
        Path streamed = dir.resolve("streamed.qcow2");
        Result fallback = cli("get", "-c", otherConfig.toString(), "--no-progress", "--image",
                base + "/v2/images/" + id, "-o", streamed.toString());
        assertThat(fallback.status()).as(fallback.err()).isZero();
        assertThat(fallback.err()).contains("streamed (" + original.length + " bytes");
        assertThat(Files.readAllBytes(streamed)).isEqualTo(original);
    }

    @Test
    void missingImageExitsWithNotFound() {
        Result result = cli("get", "--no-progress", "--image", base + "/v2/images/nope", "-o",
                dir.resolve("x").toString());
        assertThat(result.status()).isEqualTo(StowageCli.NOT_FOUND);
        assertThat(result.err()).contains("Cannot get image " + base + "/v2/images/nope: not found");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = StowageCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    record Result(int status, String out, String err) {
    }
}
