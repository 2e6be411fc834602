package dev.stowage.reliability;

import dev.stowage.api.ByteRange;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.ExpectedContent;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.StoreException;
import dev.stowage.api.Stores;
import dev.stowage.http.HttpStoreDriver;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;
import dev.stowage.testing.FaultyStoreDriver;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets never show: configured secret values (the HTTP store's proxy, the test driver's access key and password)
 * and credentials in URIs are exercised through every path that builds a message, a {@code toString()} or a log line:
 * bad values, failing connections through a secret proxy, failover reads, a store that fails to start, URIs with user
 * info, and a registry (child JVM) configured with secrets. This suite runs last: besides its own cases it checks
 * everything {@link Evidence} captured during the whole run (every log record, every exception of every suite, every
 * line of every child JVM).
 */
@ExtendWith(Recorded.class)
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsTest {
    private static final Tally TALLY = Tally.of("secrets");

    @TempDir
    Path root;

    private static void counted(Throwable failure) {
        TALLY.inc(Tally.CASES);
        assertThat(failure).isInstanceOf(StoreException.class);
    }

    @Test
    @Order(1)
    void secretOptionsThroughStores() throws Exception {
        String proxy = Evidence.secret("proxy");
        String accessKey = Evidence.secret("access-key");
        Map<String, String> configuration = new LinkedHashMap<>(FileStores.stowage("local", root.resolve("data")));
        configuration.put("stowage.stores.local.fsync", "false");
        configuration.put("stowage.stores.web.type", "http");
        // an unresolvable proxy whose name is the secret: every read through it fails
        configuration.put("stowage.stores.web.proxy", "http://" + proxy + ".invalid:3128");
        configuration.put("stowage.stores.web.connect-timeout", "2s");
        configuration.put("stowage.stores.mem.type", "memory");
        configuration.put("stowage.stores.mem.access-key", accessKey);
        configuration.put("stowage.default-store", "local");
        try (Stores stores = Stores.fromMap(configuration)) {
            Evidence.text("Stores.toString", stores.toString());
            Evidence.text("store toString", stores.store("web").toString());
            Evidence.text("store toString", stores.store("mem").toString());
            byte[] data = Bytes.random(50_000, 1);
            Location local = stores.add("img", new ByteArrayInputStream(data), data.length).location();
            Location memory = stores.add("mem", "img", new ByteArrayInputStream(data), data.length).location();
            Location remote = stores.location("web", URI.create("http://images.example/img"));
            counted(Caught.failure(() -> stores.get(remote, ByteRange.all()).close()));
            counted(Caught.failure(() -> stores.size(remote)));
            // failover: the failing proxy is logged at WARNING, then the next copies serve the image
            assertThat(Bytes.sha512(stores.open(List.of(remote, memory, local), ExpectedContent.unknown())))
                    .isEqualTo(Bytes.sha512(data));
            TALLY.inc(Tally.CASES);
            counted(Caught.failure(() -> Bytes.sha512(stores.open(List.of(remote), ExpectedContent.unknown()))));
        }
        // bad values of secret options
        for (String bad : List.of("ftp://" + proxy, "http://user:" + proxy + "@host:1", proxy, ":" + proxy,
                "http://" + proxy + ":1/path?q=1", "http://[" + proxy + "]")) {
            Map<String, String> wrong = new HashMap<>(configuration);
            wrong.put("stowage.stores.web.proxy", bad);
            Throwable failure = Caught.failure(() -> Stores.fromMap(wrong).close());
            counted(failure);
            assertThat(failure).isInstanceOf(ConfigurationException.class);
        }
    }

    @Test
    @Order(2)
    void secretOptionsStraightThroughTheDrivers() {
        // without Stores' safety net: the driver and StoreConfig themselves must not show a secret
        String proxy = Evidence.secret("proxy-direct");
        StoreDriver http = new HttpStoreDriver();
        for (String value : List.of("http://" + proxy + ".invalid:3128", "ftp://" + proxy, "http://u:" + proxy
                + "@h:1", "http://" + proxy + ":1/x")) {
            Throwable outcome = Caught.outcome(() -> {
                StoreConfig config = StoreConfig.parse("web", "stowage.stores.web.", http.options(),
                        Map.of("proxy", value, "connect-timeout", "2s"));
                Evidence.text("StoreConfig.toString", config.toString());
                try (Store store = http.create(config)) {
                    Evidence.text("store toString", store.toString());
                    Location remote = store.location(URI.create("http://images.example/img"));
                    counted(Caught.failure(() -> store.get(remote, ByteRange.all()).close()));
                    counted(Caught.failure(() -> store.size(remote)));
                }
            });
            if (outcome != null) {
                counted(outcome);
                assertThat(outcome).isInstanceOf(ConfigurationException.class);
            }
        }
        String password = Evidence.secret("password");
        StoreDriver faulty = new FaultyStoreDriver();
        Throwable failed = Caught.failure(() -> Stores.builder().driver(faulty).configuration(Map.of(
                "stowage.stores.f.type", "faulty", "stowage.stores.f.fail-create", "true",
                "stowage.stores.f.password", password)).build().close());
        counted(failed);
    }

    @Test
    @Order(3)
    void credentialsInUris() throws Exception {
        String secret = Evidence.secret("uri");
        Map<String, String> configuration = new LinkedHashMap<>(FileStores.stowage("local", root.resolve("uris")));
        configuration.put("stowage.stores.web.type", "http");
        configuration.put("stowage.default-store", "local");
        try (Stores stores = Stores.fromMap(configuration)) {
            for (String uri : List.of("https://user:" + secret + "@images.example/x",
                    "http://" + secret + "@images.example/x", "http://user:" + secret + "@bad..host/x",
                    "file://user:" + secret + "@localhost/x", "file://user:" + secret + "@bad+host/x",
                    "//user:" + secret + "@host/x", "gopher://user:" + secret + "@host/x",
                    "s3://key:" + secret + "@bucket/x")) {
                URI parsed = URI.create(uri);
                Throwable failure = Caught.failure(() -> stores.location(parsed));
                counted(failure);
                Throwable direct = Caught.failure(() -> Location.of(parsed));
                counted(direct);
                assertThat(direct).isInstanceOf(InvalidLocationException.class);
                if (parsed.isAbsolute()) {
                    counted(Caught.failure(() -> stores.get(Location.of(parsed))));
                }
            }
        }
    }

    @Test
    @Order(4)
    void aRegistryConfiguredWithSecrets() throws Exception {
        String proxy = Evidence.secret("registry-proxy");
        String accessKey = Evidence.secret("registry-key");
        Path dataDir = root.resolve("registry");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("stowage.stores.local.type", "file");
        settings.put("stowage.stores.local.datadir", dataDir.resolve("images").toString());
        settings.put("stowage.stores.web.type", "http");
        settings.put("stowage.stores.web.proxy", "http://" + proxy + ".invalid:3128");
        settings.put("stowage.stores.web.connect-timeout", "2s");
        settings.put("stowage.stores.mem.type", "memory");
        settings.put("stowage.stores.mem.access-key", accessKey);
        settings.put("stowage.default-store", "local");
        RegistryRig rig = new RegistryRig(dataDir, settings);
        try (ChildJvm child = rig.startChild("registry-secrets")) {
            int port = RegistryRig.awaitPort(child);
            byte[] data = Bytes.random(70_000, 3);
            assertThat(rig.create(port, "secret-1").statusCode()).isEqualTo(201);
            assertThat(rig.upload(port, "secret-1", data).statusCode()).isEqualTo(204);
            assertThat(rig.download(port, "secret-1")).isEqualTo(data);
            // a location behind the secret proxy: the registry must check it and fail without showing the proxy
            HttpResponse<String> added = rig.send(port, "PATCH", "/v2/images/secret-1", "[{\"op\": \"add\","
                    + " \"path\": \"/locations/-\", \"value\": {\"url\": \"http://images.example/secret-1\"}}]");
            assertThat(added.statusCode()).as(added.body()).isGreaterThanOrEqualTo(400);
            TALLY.inc(Tally.CASES);
            HttpResponse<String> listed = rig.send(port, "GET", "/v2/images", null);
            assertThat(listed.statusCode()).isEqualTo(200);
            TALLY.inc(Tally.CASES);
            child.stop();
        }
    }

    /**
     * The S3 store against S3Proxy: a round trip with the right secret key, every operation with a wrong one (403),
     * bad values around the secret options, and glance's legacy locations that carry the key (also one holding '/'),
     * through {@code Stores} and through the driver alone.
     */
    @Test
    @Order(5)
    void s3Secrets() throws Exception {
        String secretKey = Evidence.secret("s3-server-key");
        try (S3Server server = new S3Server(root.resolve("s3"), secretKey)) {
            server.createBucket("secrets");
            byte[] data = Bytes.random(6 << 20, 5);
            Map<String, String> good = new LinkedHashMap<>(server.stowage("s3", "secrets", "part-size", "5MiB",
                    "large-object-threshold", "5MiB"));
            try (Stores stores = Stores.fromMap(good)) {
                Evidence.text("Stores.toString", stores.toString());
                Evidence.text("store toString", stores.store("s3").toString());
                Location added = stores.add("img", new ByteArrayInputStream(data), data.length).location();
                assertThat(Bytes.sha512(stores.get(added))).isEqualTo(Bytes.sha512(data));
                TALLY.inc(Tally.CASES);
                for (String legacy : List.of("s3+http://" + S3Server.ACCESS_KEY + ":" + secretKey + "@127.0.0.1:"
                        + server.endpoint().getPort() + "/secrets/img", "s3+http://" + S3Server.ACCESS_KEY + ":"
                        + secretKey.replace("-", "/") + "@127.0.0.1:" + server.endpoint().getPort() + "/secrets/img",
                        "s3://" + S3Server.ACCESS_KEY + ":" + secretKey + "@s3.amazonaws.com/secrets/img",
                        "s3+http://" + S3Server.ACCESS_KEY + ":" + secretKey + "@elsewhere/secrets/img")) {
                    Throwable outcome = Caught.outcome(() -> {
                        Location parsed = stores.location(URI.create(legacy));
                        Evidence.text("legacy location", parsed.toString());
                        assertThat(parsed.uri()).isEqualTo(added.uri());
                    });
                    TALLY.inc(Tally.CASES);
                    if (outcome != null) {
                        assertThat(outcome).isInstanceOf(InvalidLocationException.class);
                    }
                }
                stores.delete(added);
            }
            Map<String, String> wrong = new LinkedHashMap<>(good);
            wrong.put("stowage.stores.s3.secret-key", Evidence.secret("s3-wrong-key"));
            try (Stores stores = Stores.fromMap(wrong)) {
                counted(Caught.failure(() -> stores.add("img", new ByteArrayInputStream(data), data.length)));
                Location somewhere = stores.location("s3", URI.create("s3://secrets/img"));
                counted(Caught.failure(() -> stores.get(somewhere).close()));
                counted(Caught.failure(() -> stores.size(somewhere)));
                counted(Caught.failure(() -> stores.delete(somewhere)));
            }
            String endpointSecret = Evidence.secret("s3-endpoint");
            for (Map.Entry<String, String> bad : List.of(Map.entry("stowage.stores.s3.secret-key", ""),
                    Map.entry("stowage.stores.s3.access-key", ""),
                    Map.entry("stowage.stores.s3.endpoint", "http://ak:" + endpointSecret + "@127.0.0.1:1"),
                    // credentials in the endpoint, also a secret holding '/' (the endpoint itself is no secret)
                    Map.entry("stowage.stores.s3.endpoint", "http://ak:" + endpointSecret.replace("-", "/")
                            + "@127.0.0.1:1"),
                    Map.entry("stowage.stores.s3.secrt-key", secretKey))) {
                Map<String, String> configuration = new HashMap<>(good);
                configuration.put(bad.getKey(), bad.getValue());
                counted(Caught.failure(() -> Stores.fromMap(configuration).close()));
                // the driver alone, without Stores' safety net
                StoreDriver driver = new dev.stowage.s3.S3StoreDriver();
                Map<String, String> options = new HashMap<>();
                configuration.forEach((key, value) -> options.put(key.substring("stowage.stores.s3.".length()),
                        value));
                options.remove("type");
                counted(Caught.failure(() -> driver.create(StoreConfig.parse("s3", "stowage.stores.s3.",
                        driver.options(), options)).close()));
            }
            assertThat(server.uploads("secrets")).isEmpty();
        }
    }

    /** The detector itself: text holding a configured secret, or any part of one around the marker, is caught. */
    @Test
    @Order(6)
    void theDetectorCatchesWhatItShould() {
        String secret = Evidence.secret("canary");
        assertThat(Evidence.wouldFlag("Cannot read x: proxy " + secret + " refused")).isTrue();
        assertThat(Evidence.wouldFlag("... " + secret.substring(secret.indexOf(Evidence.MARKER)))).isTrue();
        assertThat(Evidence.wouldFlag("Cannot read x: proxy **** refused")).isFalse();
    }

    /** Everything captured during the whole run, all suites included. */
    @Test
    @Order(7)
    void noSecretInAnythingTheRunCaptured() {
        TALLY.add("log-records-checked", Evidence.logRecords());
        TALLY.add("exceptions-checked", Evidence.exceptions());
        TALLY.add("child-lines-checked", Evidence.childLines());
        TALLY.add("secrets-configured", Evidence.secrets());
        TALLY.add("leaks", Evidence.leaks().size());
        assertThat(Evidence.logRecords()).as("log records captured").isPositive();
        assertThat(Evidence.exceptions()).as("exceptions captured").isPositive();
        assertThat(Evidence.childLines()).as("child JVM lines captured").isPositive();
        assertThat(Evidence.leaks()).as("captured text that shows a configured secret").isEmpty();
    }
}
