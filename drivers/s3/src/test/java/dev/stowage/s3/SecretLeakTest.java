package dev.stowage.s3;

import dev.stowage.api.AddOptions;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Location;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static dev.stowage.s3.TestData.MIB;
import static dev.stowage.s3.TestData.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No secret key in any log line or error (rule S10, glance's OSSN-0065/0090). With every logger of the JVM opened to
 * ALL (the store, the AWS SDK's debug and trace output, Apache HttpClient's header and wire logs), it runs each kind
 * of operation, success and failure, with the right secret, a wrong one and secrets inside glance locations, and
 * checks every log record and every error (message, toString, full stack trace) for the secrets.
 *
 * <p>The embedded S3Proxy's own loggers ({@code org.gaul}) are left out of the check: the server is test equipment
 * and knows the secret by design. Apache HttpClient's wire log (every byte sent, as text) is opened for a scenario
 * with small objects only: with multi-megabyte parts it would be hundreds of megabytes of image bytes.
 */
class SecretLeakTest {
    private static final S3ProxyServer SERVER = S3ProxyServer.shared();
    private static final String WRONG_SECRET = TestSecrets.WRONG;
    private static final String LOCATION_SECRET = TestSecrets.IN_LOCATION;
    private static final String CONFIG_SECRET = TestSecrets.IN_CONFIG;
    private static final List<String> SECRETS = TestSecrets.ALL;

    private static final String WIRE = "org.apache.hc.client5.http.wire";

    private static LogCapture captureAll(List<String> secrets) {
        return new LogCapture(secrets, Map.of("", Level.ALL, "org.gaul", Level.OFF, WIRE, Level.ALL));
    }

    private static LogCapture captureAllButWire(List<String> secrets) {
        return new LogCapture(secrets, Map.of("", Level.ALL, "org.gaul", Level.OFF, WIRE, Level.INFO));
    }

    @Test
    void noSecretOnTheWireLogOfSmallRequests() throws Exception {
        String bucket = SERVER.newBucket();
        List<Throwable> errors = new ArrayList<>();
        try (LogCapture capture = captureAll(SECRETS)) {
            try (Store good = SERVER.open("good", bucket, Map.of())) {
                Location location = good.add("small", new ByteArrayInputStream(bytes(100, 1)), 100,
                        AddOptions.defaults()).location();
                try (InputStream in = good.get(location, ByteRange.of(10, 10))) {
                    in.readAllBytes();
                }
                collect(errors, () -> good.add("small", new ByteArrayInputStream(bytes(100, 1)), 100,
                        AddOptions.defaults()));
                good.delete(location);
            }
            Map<String, String> wrong = Map.of("secret-key", WRONG_SECRET, "conditional-writes", "false");
            try (Store bad = SERVER.open("bad", bucket, wrong)) {
                collect(errors, () -> bad.add("denied", new ByteArrayInputStream(bytes(100, 1)), 100,
                        AddOptions.defaults()));
                collect(errors, () -> bad.size(bad.location(URI.create("s3://" + bucket + "/x"))));
            }
            errors.forEach(capture::check);
            assertThat(capture.recordsByLogger()).as("the wire log was heard").containsKey("org.apache.hc")
                    .satisfies(counts -> assertThat(counts.get("org.apache.hc")).isGreaterThan(50));
            System.out.println("Secret check (wire): " + capture.records() + " log records (" + capture.characters()
                    + " characters) and " + errors.size() + " errors checked; records by logger: "
                    + capture.recordsByLogger());
            assertThat(capture.leaks()).isEmpty();
        }
    }

    @Test
    void theCheckFindsASecretWhereverItIsLogged() {
        String secret = "Self-Test-Secret-" + System.nanoTime();
        try (LogCapture capture = captureAll(List.of(secret))) {
            System.getLogger("dev.stowage.s3.selftest").log(System.Logger.Level.DEBUG, "debug " + secret);
            org.slf4j.LoggerFactory.getLogger("software.amazon.awssdk.selftest").trace("trace {}", secret);
            java.util.logging.Logger.getLogger("org.apache.hc.client5.http.wire").finest("wire " + secret);
            capture.check(new IllegalStateException("outer", new RuntimeException("cause " + secret)));

            assertThat(capture.leaks()).hasSize(4);
            assertThat(capture.leaks()).allSatisfy(leak -> assertThat(leak).contains(secret));
        }
    }

    @Test
    void theSuiteWatchFindsASecretInOutputLogsStoreErrorsAndShownValues() throws Exception {
        String secret = "Suite-Self-Test-Secret-" + System.nanoTime();
        SuiteWatch watch = SuiteWatch.forSelfTest(List.of(secret));
        try {
            java.io.PrintStream out = watch.watched(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                    "test output");
            out.println("a line with " + secret);
            out.print("a line written in pieces: " + secret.substring(0, 7));
            out.print(secret.substring(7));
            out.println();
            out.println("a clean line");
            System.getLogger("dev.stowage.s3.selftest").log(System.Logger.Level.TRACE, "trace " + secret);
            Store leaky = new WatchedStore(new LeakyStore(secret), watch);
            Location somewhere = Location.of(URI.create("s3://bucket/x"));
            assertThatThrownBy(() -> leaky.size(somewhere)).isInstanceOf(dev.stowage.api.StoreIOException.class);
            leaky.location(URI.create("s3://bucket/x"));

            assertThat(watch.leaks()).hasSize(5).allSatisfy(leak -> assertThat(leak).contains(secret));
            assertThat(watch.leaks()).anySatisfy(leak -> assertThat(leak).startsWith("test output holds a secret"))
                    .anySatisfy(leak -> assertThat(leak).startsWith("log record holds a secret"))
                    .anySatisfy(leak -> assertThat(leak).startsWith("error dev.stowage.api.StoreIOException"))
                    .anySatisfy(leak -> assertThat(leak).startsWith("result holds a secret"));
        } finally {
            watch.stopLogs();
        }
    }

    /** A store that gets it wrong on purpose: its errors and locations show a secret. */
    private static final class LeakyStore implements Store {
        private final String secret;

        LeakyStore(String secret) {
            this.secret = secret;
        }

        @Override
        public String name() {
            return "leaky";
        }

        @Override
        public String type() {
            return "leaky";
        }

        @Override
        public java.util.Set<dev.stowage.api.Capability> capabilities() {
            return java.util.Set.of();
        }

        @Override
        public Map<String, String> metadata() {
            return Map.of();
        }

        @Override
        public dev.stowage.api.AddResult add(String imageId, InputStream data, long expectedSize,
                                             AddOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream get(Location location, ByteRange range) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size(Location location) {
            throw new dev.stowage.api.StoreIOException("Cannot read " + location.uri() + ": key " + secret);
        }

        @Override
        public void delete(Location location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Location location(URI uri) {
            return Location.of(URI.create(uri + "?key=" + secret));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void noSecretInAnyLogLineOrErrorOfTheS3Store() throws Exception {
        String bucket = SERVER.newBucket();
        List<Throwable> errors = new ArrayList<>();
        try (LogCapture capture = captureAllButWire(SECRETS)) {
            S3StoreDriver driver = new S3StoreDriver();
            Map<String, String> small = Map.of("part-size", "5MiB", "large-object-threshold", "6MiB");
            try (Store good = SERVER.open("good", bucket, small)) {
                capture.check("store toString", good.toString());
                exercise(good, bucket, errors);
            }
            Map<String, String> wrong = new HashMap<>(small);
            wrong.put("secret-key", WRONG_SECRET);
            try (Store bad = SERVER.open("bad", bucket, wrong)) {
                capture.check("store toString", bad.toString());
                Location somewhere = bad.location(URI.create("s3://" + bucket + "/abc"));
                collect(errors, () -> bad.get(somewhere, ByteRange.all()));
                collect(errors, () -> bad.size(somewhere));
                collect(errors, () -> bad.delete(somewhere));
                collect(errors, () -> bad.add("denied", new ByteArrayInputStream(bytes(100, 1)), 100,
                        AddOptions.defaults()));
                collect(errors, () -> bad.add("denied-big", new ByteArrayInputStream(bytes(7 * MIB, 1)),
                        Store.UNKNOWN_SIZE, AddOptions.defaults()));
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, String> unreachable = new HashMap<>(small);
            unreachable.put("endpoint", "http://127.0.0.1:" + port);
            unreachable.put("connect-timeout", "1s");
            try (Store down = SERVER.open("down", bucket, unreachable)) {
                collect(errors, () -> down.size(down.location(URI.create("s3://" + bucket + "/abc"))));
                collect(errors, () -> down.add("x", new ByteArrayInputStream(new byte[1]), 1, AddOptions.defaults()));
            }
            for (Map<String, String> bad : List.of(
                    Map.of("bucket", bucket, "access-key", "AKID", "secret-key", CONFIG_SECRET, "part-size", "1"),
                    Map.of("bucket", bucket, "secret-key", CONFIG_SECRET),
                    Map.of("bucket", bucket, "secret-key", CONFIG_SECRET, "sekret-key", CONFIG_SECRET),
                    Map.of("bucket", bucket, "endpoint", "http://AKID:" + CONFIG_SECRET + "@127.0.0.1:9"),
                    // a valid configuration (a region, so no network): the store's toString goes into the error
                    Map.of("bucket", bucket, "access-key", "AKID", "secret-key", CONFIG_SECRET, "region",
                            "eu-west-1"))) {
                collect(errors, () -> {
                    StoreConfig config = StoreConfig.parse("cfg", "stowage.stores.cfg.", driver.options(), bad);
                    capture.check("config toString", config.toString());
                    try (Store store = driver.create(config)) {
                        capture.check("store toString", store.toString());
                        throw new IllegalStateException("configuration accepted: " + store);
                    }
                });
            }

            assertThat(errors).as("the scenario produced errors to check").hasSizeGreaterThan(15);
            errors.forEach(capture::check);
            assertThat(capture.records()).as("log records captured").isGreaterThan(100);
            assertThat(capture.recordsByLogger()).as("loggers heard from")
                    .containsKeys("dev.stowage.s3", "software.amazon.awssdk", "org.apache.hc");
            System.out.println("Secret check: " + capture.records() + " log records (" + capture.characters()
                    + " characters) and " + errors.size() + " errors checked; records by logger: "
                    + capture.recordsByLogger());
            assertThat(capture.leaks()).isEmpty();
        }
    }

    private void exercise(Store store, String bucket, List<Throwable> errors) throws IOException {
        byte[] small = bytes(1000, 1);
        byte[] medium = bytes(5 * MIB + 100, 2);
        byte[] large = bytes(11 * MIB, 3);
        Location a = store.add("small", new ByteArrayInputStream(small), small.length, AddOptions.defaults())
                .location();
        store.add("medium", new ByteArrayInputStream(medium), medium.length, AddOptions.defaults());
        Location c = store.add("large", new ByteArrayInputStream(large), Store.UNKNOWN_SIZE, AddOptions.defaults())
                .location();
        try (InputStream in = store.get(c, ByteRange.of(MIB, 1000))) {
            in.readAllBytes();
        }
        store.size(a);
        store.delete(a);
        String host = SERVER.endpoint().getAuthority();
        Location legacy = store.location(URI.create("s3+http://AKIDLEGACY:" + LOCATION_SECRET + "@" + host + "/"
                + bucket + "/large"));
        try (InputStream in = store.get(legacy, ByteRange.all())) {
            in.readAllBytes();
        }
        collect(errors, () -> store.location(URI.create("s3://AKIDLEGACY:" + LOCATION_SECRET + "@" + host
                + "/other-bucket/large")));
        collect(errors, () -> store.location(URI.create("swift://AKIDLEGACY:" + LOCATION_SECRET + "@" + host
                + "/" + bucket + "/large")));
        collect(errors, () -> store.location(URI.create("s3://AKIDLEGACY:" + LOCATION_SECRET + "@" + host + "/"
                + bucket + "/../x")));
        collect(errors, () -> store.get(store.location(URI.create("s3://" + bucket + "/small")), ByteRange.all()));
        collect(errors, () -> store.add("large", new ByteArrayInputStream(large), large.length,
                AddOptions.defaults()));
        collect(errors, () -> store.add("short", new ByteArrayInputStream(large), large.length + 1,
                AddOptions.defaults()));
        collect(errors, () -> store.add("broken", TestData.failingAt(large, 7 * MIB), Store.UNKNOWN_SIZE,
                AddOptions.defaults()));
        collect(errors, () -> store.get(c, ByteRange.from(large.length + 1)));
    }

    /** Runs an operation that must fail and keeps its error. */
    private static void collect(List<Throwable> errors, Failing operation) {
        try {
            operation.run();
        } catch (Throwable e) {
            errors.add(e);
            return;
        }
        throw new AssertionError("the operation was expected to fail");
    }

    @FunctionalInterface
    private interface Failing {
        void run() throws Exception;
    }
}
