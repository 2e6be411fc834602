package dev.stowage.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.samples.registry.Registry;
import dev.stowage.samples.registry.RegistryMain;
import dev.stowage.samples.registry.RegistrySettings;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry sample under test: started in this JVM ({@link Registry#start}) or as a child JVM
 * ({@link RegistryMain}, killable), always on the same data directory (H2 database {@code registry.mv.db} and the
 * default file store in {@code images/}), driven over HTTP, and checked record by record against its stored data.
 */
final class RegistryRig {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dataDir;
    final Path settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RegistryRig(Path dataDir, Map<String, String> extra) throws IOException {
        this.dataDir = dataDir;
        this.settings = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
        Properties properties = new Properties();
        properties.setProperty("registry.port", "0");
        properties.setProperty("registry.data-dir", dataDir.toString());
        extra.forEach(properties::setProperty);
        Files.createDirectories(dataDir);
        try (OutputStream out = Files.newOutputStream(settings)) {
            properties.store(out, null);
        }
    }

    Path images() {
        return dataDir.resolve("images");
    }

    Registry start() throws Exception {
        return Registry.start(RegistrySettings.load(settings, dataDir));
    }

    /** Starts a registry JVM and returns it with its port, once it listens. */
    ChildJvm startChild(String name) throws Exception {
        return ChildJvm.start(name, RegistryMain.class, settings.toString());
    }

    static int awaitPort(ChildJvm child) throws InterruptedException {
        String line = child.await(text -> text.startsWith("Stowage registry listening on http://"),
                Duration.ofSeconds(90));
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    HttpResponse<String> send(int port, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Evidence.text("registry response", response.body());
        return response;
    }

    HttpResponse<String> create(int port, String id) throws Exception {
        return send(port, "POST", "/v2/images", "{\"id\": \"" + id + "\", \"name\": \"" + id + "\"}");
    }

    HttpResponse<String> upload(int port, String id, byte[] data) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v2/images/" + id + "/file")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        Evidence.text("registry response", response.body());
        return response;
    }

    JsonNode show(int port, String id) throws Exception {
        HttpResponse<String> response = send(port, "GET", "/v2/images/" + id, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    byte[] download(int port, String id) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v2/images/" + id + "/file")).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Waits (bounded) until the image is no longer saving, and returns its status. */
    String awaitSettled(int port, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String status;
        do {
            status = show(port, id).get("status").asText();
            if (!status.equals("saving")) {
                return status;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return status;
    }

    /** A client that starts an upload of {@code declared} bytes, sends {@code sent} of them and goes away. */
    static void hangUp(int port, String id, long declared, byte[] sent, boolean reset) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/octet-stream\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            if (reset) {
                socket.setSoLinger(true, 0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ records

    /** One image row with its locations, read straight from the database. */
    record Row(String id, String status, Long size, String checksum, String hashAlgorithm, String hashValue,
               List<String> locations) {
    }

    /** Reads every image record from the database file. The registry must be stopped (H2 locks the file). */
    Map<String, Row> records() throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.resolve("registry").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        Map<String, Row> rows = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet images = statement.executeQuery("SELECT * FROM images ORDER BY id")) {
            while (images.next()) {
                String id = images.getString("id");
                long size = images.getLong("size");
                Long sizeOrNull = images.wasNull() ? null : size;
                List<String> locations = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT url FROM image_locations WHERE image_id = ? ORDER BY position")) {
                    select.setString(1, id);
                    try (ResultSet urls = select.executeQuery()) {
                        while (urls.next()) {
                            locations.add(urls.getString(1));
                        }
                    }
                }
                rows.put(id, new Row(id, images.getString("status"), sizeOrNull, images.getString("checksum"),
                        images.getString("os_hash_algo"), images.getString("os_hash_value"), locations));
            }
        }
        return rows;
    }

    /** Sets an image's status in the database, as a crash at a chosen moment would have left it. */
    void setStatus(String id, String status) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.resolve("registry").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement update = connection.prepareStatement("UPDATE images SET status = ? WHERE id = ?")) {
            update.setString(1, status);
            update.setString(2, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    /**
     * Database records against stored data, with the registry stopped: every active image has its data at each
     * recorded location with the recorded size, MD5 and SHA-512; an image that is not active has no location; every
     * file in the image store belongs to an active image (no temp file, no object without a record). Files too many
     * count as orphans. Returns the active images' SHA-512 by id.
     */
    Map<String, String> checkConsistency(Tally tally) throws Exception {
        Map<String, Row> rows = records();
        Map<Path, String> referenced = new HashMap<>();
        Map<String, String> active = new LinkedHashMap<>();
        for (Row row : rows.values()) {
            if (!row.status().equals("ACTIVE")) {
                assertThat(row.locations()).as("locations of %s image %s", row.status(), row.id()).isEmpty();
                continue;
            }
            assertThat(row.locations()).as("locations of active image %s", row.id()).isNotEmpty();
            assertThat(row.hashAlgorithm()).isEqualTo("sha512");
            for (String url : row.locations()) {
                Path file = Path.of(URI.create(url));
                assertThat(file).as("data of active image %s", row.id()).isRegularFile();
                byte[] data = Files.readAllBytes(file);
                assertThat((long) data.length).as("size of %s", url).isEqualTo(row.size());
                assertThat(Bytes.md5(data)).as("MD5 of %s", url).isEqualTo(row.checksum());
                assertThat(Bytes.sha512(data)).as("SHA-512 of %s", url).isEqualTo(row.hashValue());
                referenced.put(file, row.id());
            }
            active.put(row.id(), row.hashValue());
            tally.inc("records-checked");
        }
        List<String> orphans = new ArrayList<>();
        if (Files.isDirectory(images())) {
            Path real = images().toRealPath();
            for (String name : Trees.files(real)) {
                if (!referenced.containsKey(real.resolve(name))) {
                    orphans.add(name);
                }
            }
        }
        tally.add(Tally.ORPHANS, orphans.size());
        assertThat(orphans).as("files in the image store without an active record (temp files, objects of"
                + " images that are not active)").isEmpty();
        return active;
    }
}
