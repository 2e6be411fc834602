package dev.stowage.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DriverLoadException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidImageIdException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.StoreException;
import dev.stowage.api.Stores;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.samples.registry.Registry;
import dev.stowage.samples.registry.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Generated hostile input, {@code reliability.examples} cases per category (10,000 by default, seed logged): image
 * ids, location URIs, byte ranges and configuration maps. Only Stowage's typed errors may come out (a
 * {@link StoreException} subtype; {@link IllegalArgumentException} nowhere here, as none of these calls documents
 * it), never a NullPointerException, an index error or a parse exception from the JDK; and no path escapes a store's
 * root: after each category the file tree holds only what the valid inputs made, where they should have made it.
 */
@ExtendWith(Recorded.class)
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DATA = {1, 2, 3};

    @TempDir
    Path root;

    private static <T> void check(Tally tally, String what, Gen<T> gen, Consumer<T> property) {
        long seed = Knobs.seed(tally, what);
        int examples = Knobs.examples();
        AtomicInteger tried = new AtomicInteger();
        // QuickTheories runs a few examples fewer than asked for now and then: ask for 2% more, count what ran
        qt().withFixedSeed(seed).withExamples(examples + examples / 50).withShrinkCycles(200).forAll(gen)
                .checkAssert(value -> {
                    tried.incrementAndGet();
                    tally.inc(Tally.CASES);
                    property.accept(value);
                });
        assertThat(tried.get()).as("cases tried for %s", what).isGreaterThanOrEqualTo(examples);
    }

    /** Asserts the failure is a typed Stowage error of one of {@code allowed} and counts it. */
    @SafeVarargs
    private static StoreException typed(Tally tally, Throwable failure, Object input,
                                        Class<? extends StoreException>... allowed) {
        assertThat(failure).as("failure for input %s", show(input)).isInstanceOfAny(allowed);
        assertThat(failure.getMessage()).as("message for input %s", show(input)).startsWith("Cannot ");
        tally.inc("typed-errors");
        return (StoreException) failure;
    }

    static String show(Object input) {
        return input instanceof String text ? ImageIds.quote(text) : String.valueOf(input);
    }

    // ----------------------------------------------------------------------------------------------------- ids

    @Test
    void imageIds() throws Exception {
        Tally tally = Tally.of("bad-input-ids");
        Path datadir = root.resolve("store").resolve("data");
        Path canary = root.resolve("store").resolve("canary");
        Files.createDirectories(canary);
        Files.writeString(canary.resolve("keep"), "canary");
        Map<String, String> configuration = new HashMap<>(FileStores.stowage("local", datadir));
        configuration.put("stowage.stores.local.fsync", "false");
        Set<String> added = ConcurrentHashMap.newKeySet();
        Path real;
        try (Stores stores = Stores.fromMap(configuration)) {
            real = datadir.toRealPath();
            check(tally, "image-ids", Inputs.imageIds(), id -> {
                boolean valid = ImageIds.isValid(id);
                // add
                AddResult[] result = new AddResult[1];
                Throwable failure = Caught.outcome(() -> result[0] = stores.add(id, new ByteArrayInputStream(DATA),
                        DATA.length));
                if (failure == null) {
                    assertThat(valid).as("add accepted %s", show(id)).isTrue();
                    Path file = Path.of(result[0].location().uri());
                    assertThat(file.getParent()).isEqualTo(real);
                    assertThat(file.getFileName().toString()).isEqualTo(id);
                    added.add(id);
                    tally.inc("accepted");
                } else if (valid) {
                    typed(tally, failure, id, DuplicateObjectException.class);
                    assertThat(added).contains(id);
                } else {
                    typed(tally, failure, id, InvalidImageIdException.class);
                    assertThat(failure.getMessage()).startsWith("Cannot use image id " + ImageIds.quote(id) + ": ");
                }
                // the same id as the file name of a location
                URI uri;
                try {
                    uri = new URI("file", "", real + "/" + id, null, null);
                } catch (URISyntaxException e) {
                    tally.inc("not-a-uri");
                    return;
                }
                Location[] location = new Location[1];
                Throwable refused = Caught.outcome(() -> location[0] = stores.location(uri));
                if (refused == null) {
                    Path file = Path.of(location[0].uri());
                    assertThat(file.getParent()).as("location of %s", show(id)).isEqualTo(real);
                    String name = file.getFileName().toString();
                    assertThat(ImageIds.isValid(name)).isTrue();
                    // the path may have been normalised ("data//0" is "data/0"): the object is there if it was added
                    if (added.contains(name)) {
                        assertThat(stores.size(location[0])).isEqualTo(DATA.length);
                    } else {
                        typed(tally, Caught.failure(() -> stores.size(location[0])), id,
                                ObjectNotFoundException.class);
                    }
                } else {
                    typed(tally, refused, id, InvalidLocationException.class);
                }
            });
        }
        // nothing but the accepted ids, each directly in the data directory; the neighbour untouched
        Map<String, String> expected = new HashMap<>();
        added.forEach(id -> expected.put(id, Bytes.sha512(DATA)));
        Trees.assertExactly(tally, datadir, expected);
        assertThat(Trees.files(root.resolve("store"))).hasSize(added.size() + 1).contains("canary/keep");
        assertThat(Files.readString(canary.resolve("keep"))).isEqualTo("canary");
        assertThat(tally.get("accepted")).as("valid ids were tried too").isPositive();
    }

    /**
     * The same generated ids sent to the registry sample: create answers 201, 400 or 409 and show 200, 400 or 404;
     * never a 5xx. 400 cases (all {@code reliability.examples} with -Preliability-heavy), as each is two HTTP
     * requests; they count towards the ids category on top of the file store's.
     */
    @Test
    void imageIdsAtTheRegistry() throws Exception {
        Tally tally = Tally.of("bad-input-ids");
        Path dataDir = root.resolve("registry");
        Properties properties = new Properties();
        properties.setProperty("registry.port", "0");
        properties.setProperty("registry.data-dir", dataDir.toString());
        Path file = root.resolve("registry.properties");
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        HttpClient[] client = {HttpClient.newHttpClient()};
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        String[] previous = {"none"};
        try (Registry registry = Registry.start(RegistrySettings.load(file, dataDir))) {
            String base = "http://127.0.0.1:" + registry.port();
            long seed = Knobs.seed(tally, "registry-ids");
            int examples = Knobs.heavy() ? Knobs.examples() : 400;
            qt().withFixedSeed(seed).withExamples(examples).forAll(Inputs.imageIds()).checkAssert(id -> {
                tally.inc(Tally.CASES);
                tally.inc("registry-cases");
                HttpClient http = client[0];
                try {
                    Map<String, String> body = new HashMap<>();
                    body.put("id", id);
                    body.put("name", "generated");
                    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    Evidence.text("registry response", created.body());
                    statuses.merge(created.statusCode(), 1, Integer::sum);
                    assertThat(created.statusCode()).as("create %s: %s", show(id), created.body()).isIn(201, 400, 409);
                    if (created.statusCode() == 400) {
                        assertThat(created.body()).contains("Invalid image id");
                    }
                    HttpResponse<String> shown = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/images/"
                                    + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"))).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    Evidence.text("registry response", shown.body());
                    previous[0] = show(id) + " -> " + created.statusCode() + " " + created.headers().map() + ", "
                            + shown.statusCode() + " " + shown.headers().map() + " " + shown.body();
                    statuses.merge(shown.statusCode(), 1, Integer::sum);
                    assertThat(shown.statusCode()).as("show %s: %s", show(id), shown.body()).isIn(200, 400, 404);
                    if (shown.body().contains("<title>Error 400 Bad Request</title>")) {
                        // Jetty refused the path itself (an encoded NUL or '/'; the registry never saw it) and closes
                        // the connection after this answer without saying so: the JDK client would send the next
                        // request on the dead connection. A fresh client starts on a fresh connection.
                        tally.inc("paths-refused-by-jetty");
                        client[0] = HttpClient.newHttpClient();
                    }
                } catch (IOException e) {
                    throw new AssertionError("request for " + show(id) + " failed; previous: " + previous[0], e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            });
        }
        tally.note("registry-ids.statuses", statuses.toString());
        // nothing was uploaded: the image directory holds no file at all
        assertThat(Trees.files(dataDir.resolve("images"))).isEmpty();
    }

    // ----------------------------------------------------------------------------------------------------- URIs

    @Test
    void locationUris() throws Exception {
        Tally tally = Tally.of("bad-input-uris");
        Path datadir = root.resolve("uris").resolve("data");
        Map<String, String> configuration = new HashMap<>(FileStores.stowage("local", datadir));
        configuration.put("stowage.stores.local.fsync", "false");
        configuration.put("stowage.stores.web.type", "http");
        // an S3 store that is never reached (parsing needs no server): its own and glance's legacy location forms
        configuration.put("stowage.stores.s3.type", "s3");
        configuration.put("stowage.stores.s3.endpoint", "http://127.0.0.1:1");
        configuration.put("stowage.stores.s3.bucket", "images");
        configuration.put("stowage.stores.s3.access-key", "reliability-access");
        configuration.put("stowage.stores.s3.secret-key", Evidence.secret("uri-s3-key"));
        configuration.put("stowage.stores.s3.conditional-writes", "true");
        configuration.put("stowage.default-store", "local");
        String secret = Evidence.secret("uri-password");
        try (Stores stores = Stores.fromMap(configuration)) {
            Path real = datadir.toRealPath();
            stores.add("known-1", new ByteArrayInputStream(DATA), DATA.length);
            List<String> realSegments = new ArrayList<>();
            real.forEach(part -> realSegments.add(part.toString()));
            Gen<String> scheme = Generate.pick(List.of("file", "filesystem", "FILE", "File", "http", "https", "HTTP",
                    "s3", "s3+https", "gopher", "ftp", "jar", "c", "x-y.z"));
            Gen<String> authority = Generate.pick(List.of("", "", "", "localhost", "LOCALHOST", "host", "127.0.0.1",
                    "127.0.0.1:8080", "user@host", "user:" + secret + "@host", "[::1]", "[::1]:80", "host:99999",
                    "%41", "xn--p1ai", "host:-1", "-", "a..b", "ho_st", "images", "images", "other-bucket",
                    "127.0.0.1:1", "AKIA:" + secret + "@127.0.0.1:1", "AKIA:" + secret.replace("-", "/") + "@127.0.0.1:1",
                    "s3.amazonaws.com", "Images"));
            List<String> segments = Inputs.concat(Inputs.NASTY, List.of("known-1", "missing", "%2e%2e", "%2F",
                    "%00", "%C3%A9", "%ZZ", "a%20b", "", "//", "images", "images", "glance"));
            Gen<String> path = Generate.frequency(List.of(
                    Pair.of(5, Inputs.segments(segments, 3).map(rest -> real + "/" + rest)),
                    Pair.of(2, Inputs.segments(segments, 5).map(rest -> "/" + rest)),
                    Pair.of(1, Inputs.segments(segments, 3)),
                    Pair.of(1, Generate.pick(List.of(real + "/known-1", real + "//known-1", real + "/./known-1",
                            real + "/x/../known-1", real + "/known-1/", real + "/%6Bnown-1"))),
                    Pair.of(1, Inputs.segments(realSegments, realSegments.size())
                            .map(rest -> "/" + rest + "/known-1"))));
            Gen<String> query = Generate.pick(List.of("", "", "", "?", "?a=b", "?X-Amz-Signature=abc%2F"));
            Gen<String> fragment = Generate.pick(List.of("", "", "", "#", "#frag"));
            Gen<URI> composed = scheme.zip(authority, path, query.zip(fragment, String::concat),
                    (s, a, p, qf) -> parse(s, a, p, qf));
            // S3 locations: the store's own form and glance's legacy forms (credentials, a host, a path prefix)
            Gen<String> s3Scheme = Generate.pick(List.of("s3", "s3", "s3+http", "s3+https", "S3"));
            Gen<String> s3Authority = Generate.pick(List.of("images", "images", "other", "127.0.0.1:1",
                    "AKIA:" + secret + "@127.0.0.1:1", "AKIA:" + secret.replace("-", "/") + "@127.0.0.1:1",
                    "AKIA:" + secret + "@s3.amazonaws.com", "127.0.0.1:2"));
            Gen<String> s3Path = Generate.pick(List.of("/", "/images/", "/glance/images/", "/other/"))
                    .zip(Inputs.imageIds().mix(Inputs.validIds(), 50), String::concat);
            Gen<URI> s3 = s3Scheme.zip(s3Authority, s3Path, query.zip(fragment, String::concat),
                    (s, a, p, qf) -> parse(s, a, p, qf));
            Gen<URI> uris = composed.mix(s3, 20).assuming(uri -> uri != null);
            check(tally, "location-uris", uris, uri -> {
                Location[] location = new Location[1];
                Throwable failure = Caught.outcome(() -> location[0] = stores.location(uri));
                if (failure != null) {
                    typed(tally, failure, uri, UnknownSchemeException.class, InvalidLocationException.class);
                    return;
                }
                tally.inc("accepted");
                Location parsed = location[0];
                assertThat(parsed.uri().getRawUserInfo()).isNull();
                assertThat(stores.location(parsed.uri())).as("round trip of %s", uri).isEqualTo(parsed);
                String parsedScheme = parsed.scheme();
                if (parsedScheme.equals("file")) {
                    Path file = Path.of(parsed.uri());
                    assertThat(file.getParent()).as("file of %s", uri).isEqualTo(real);
                    assertThat(ImageIds.isValid(file.getFileName().toString())).isTrue();
                    if (file.getFileName().toString().equals("known-1")) {
                        assertThat(stores.size(parsed)).isEqualTo(DATA.length);
                        tally.inc("reached-known-object");
                    } else {
                        typed(tally, Caught.failure(() -> stores.size(parsed)), uri, ObjectNotFoundException.class);
                        typed(tally, Caught.failure(() -> stores.delete(parsed)), uri, ObjectNotFoundException.class);
                        typed(tally, Caught.failure(() -> stores.get(parsed).close()), uri,
                                ObjectNotFoundException.class);
                    }
                } else if (parsedScheme.equals("s3")) {
                    // always the store's own form: its bucket, a valid id as the key, nothing else
                    assertThat(parsed.uri().getRawAuthority()).isEqualTo("images");
                    assertThat(parsed.uri().getRawQuery()).isNull();
                    String key = parsed.uri().getPath().substring(1);
                    assertThat(ImageIds.isValid(key)).as("key of %s", parsed).isTrue();
                    tally.inc("accepted-s3");
                } else {
                    assertThat(parsedScheme).isIn("http", "https");
                    assertThat(parsed.uri().getHost()).isNotNull();
                }
            });
            Trees.assertExactly(tally, datadir, Map.of("known-1", Bytes.sha512(DATA)));
        }
        assertThat(tally.get("reached-known-object")).as("generated URIs that reached the stored object")
                .isPositive();
    }

    /** The URI as a client would write it; when that does not parse, the same parts quoted by the JDK. */
    private static URI parse(String scheme, String authority, String path, String queryAndFragment) {
        String text = scheme + ":" + (authority.isEmpty() && !path.startsWith("/") ? "" : "//" + authority) + path
                + queryAndFragment;
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            try {
                int hash = queryAndFragment.indexOf('#');
                String query = hash < 0 ? queryAndFragment : queryAndFragment.substring(0, hash);
                String fragment = hash < 0 ? null : queryAndFragment.substring(hash + 1);
                return new URI(scheme, authority.isEmpty() ? null : authority, path.startsWith("/") ? path
                        : "/" + path, query.isEmpty() ? null : query.substring(1), fragment);
            } catch (URISyntaxException again) {
                return null;
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------- ranges

    @Test
    void byteRanges() throws Exception {
        Tally tally = Tally.of("bad-input-ranges");
        Path datadir = root.resolve("ranges");
        Map<String, String> configuration = new HashMap<>(FileStores.stowage("local", datadir));
        configuration.put("stowage.stores.local.fsync", "false");
        configuration.put("stowage.stores.local.chunk-size", "4KiB");
        configuration.put("stowage.stores.web.type", "http");
        configuration.put("stowage.default-store", "local");
        int[] sizes = {0, 1, 4095, 4096, 4097, 70_000};
        List<byte[]> objects = new ArrayList<>();
        List<Location> fileLocations = new ArrayList<>();
        try (Stores stores = Stores.fromMap(configuration)) {
            for (int i = 0; i < sizes.length; i++) {
                byte[] data = Bytes.random(sizes[i], i);
                objects.add(data);
                fileLocations.add(stores.add("r" + i, new ByteArrayInputStream(data), data.length).location());
            }
            try (WebServer web = WebServer.serve(datadir)) {
                List<Location> webLocations = new ArrayList<>();
                for (int i = 0; i < sizes.length; i++) {
                    webLocations.add(stores.location("web", web.uri("r" + i)));
                }
                AtomicInteger overHttp = new AtomicInteger();
                // offsets and lengths mostly around the chosen object's size, so that about half are readable
                Gen<Object[]> cases = integers().between(0, sizes.length - 1).flatMap(object -> {
                    Gen<Long> numbers = Inputs.offsetsOrLengths(sizes[object]);
                    return numbers.zip(numbers.mix(Generate.constant(ByteRange.TO_END), 25),
                            integers().between(0, 4), (offset, length, transport) ->
                                    new Object[] {object, offset, length, transport});
                });
                check(tally, "byte-ranges", cases, input -> {
                    int object = (Integer) input[0];
                    long offset = (Long) input[1];
                    long length = (Long) input[2];
                    boolean http = (Integer) input[3] == 0;
                    String shown = "[object " + object + " (" + sizes[object] + " bytes), offset " + offset
                            + ", length " + length + (http ? ", http" : ", file") + "]";
                    boolean constructible = offset >= 0 && (length >= 0 || length == ByteRange.TO_END)
                            && (length == ByteRange.TO_END || offset + length >= 0);
                    ByteRange[] range = new ByteRange[1];
                    Throwable invalid = Caught.outcome(() -> range[0] = new ByteRange(offset, length));
                    if (invalid != null) {
                        assertThat(constructible).as("ByteRange refused %s: %s", shown, invalid).isFalse();
                        typed(tally, invalid, shown, InvalidRangeException.class);
                        return;
                    }
                    assertThat(constructible).as("ByteRange accepted %s", shown).isTrue();
                    long size = sizes[object];
                    boolean inside = offset <= size && (length == ByteRange.TO_END || offset + length <= size);
                    Location location = http ? webLocations.get(object) : fileLocations.get(object);
                    if (http) {
                        overHttp.incrementAndGet();
                    }
                    byte[][] read = new byte[1][];
                    Throwable failure = Caught.outcome(() -> {
                        try (InputStream in = stores.get(location, range[0])) {
                            read[0] = in.readAllBytes();
                        }
                    });
                    if (failure != null) {
                        assertThat(inside).as("%s failed: %s", shown, failure).isFalse();
                        typed(tally, failure, shown, InvalidRangeException.class);
                        return;
                    }
                    assertThat(inside).as("%s was read", shown).isTrue();
                    long count = length == ByteRange.TO_END ? size - offset : length;
                    assertThat(read[0]).as(shown).isEqualTo(Bytes.slice(objects.get(object), offset, count));
                    tally.inc("read");
                });
                tally.add("over-http", overHttp.get());
            }
            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < sizes.length; i++) {
                expected.put("r" + i, Bytes.sha512(objects.get(i)));
            }
            Trees.assertExactly(tally, datadir, expected);
        }
    }

    // ----------------------------------------------------------------------------------------------------- config

    @Test
    void configurationMaps() throws Exception {
        Tally tally = Tally.of("bad-input-config");
        Path gen = root.resolve("config").resolve("gen");
        Files.createDirectories(gen);
        Files.writeString(gen.resolve("meta-object.json"), "{\"id\": \"fs-1\", \"mountpoint\": \"" + gen + "\"}");
        Files.writeString(gen.resolve("meta-list.json"), "[{\"id\": \"fs-1\", \"mountpoint\": \"" + gen + "\"}]");
        Files.writeString(gen.resolve("meta-bad.json"), "{\"id\": \"fs-1\", \"mountpoint\": ");
        Files.writeString(gen.resolve("meta-noid.json"), "[{\"mountpoint\": \"" + gen + "\"}]");
        Files.writeString(gen.resolve("meta-relative.json"), "{\"id\": \"x\", \"mountpoint\": \"relative/dir\"}");
        Files.writeString(gen.resolve("meta-other.json"), "{\"id\": \"x\", \"mountpoint\": \"/elsewhere\"}");
        Files.writeString(gen.resolve("meta-unknown.json"), "{\"id\": \"x\", \"mountpoint\": \"" + gen
                + "\", \"extra\": 1}");
        Files.write(gen.resolve("garbage.pem"), Bytes.random(500, 1));
        Files.writeString(gen.resolve("empty.pem"), "");
        Files.writeString(gen.resolve("truncated.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n");
        List<String> fixtures = Trees.files(gen);
        List<String> cwdBefore = Trees.files(Path.of("").toAbsolutePath().resolve("src"));

        String proxySecret = Evidence.secret("proxy");
        String keySecret = Evidence.secret("access-key");
        Gen<String> paths = Generate.frequency(List.of(
                Pair.of(6, Inputs.segments(List.of("a", "b c", "\u00e9", "x.y", ".hidden", "d"), 3)
                        .map(rest -> gen + "/" + rest)),
                Pair.of(2, Inputs.segments(List.of("a", "b"), 2).map(rest -> gen + "/" + rest + "/../z")),
                Pair.of(2, Generate.pick(List.of("", " ", "\u0000", gen + "/a\u0000b", gen + "/meta-object.json",
                        gen + "/garbage.pem")))));
        Map<String, Gen<String>> values = new LinkedHashMap<>();
        values.put("datadir", paths);
        values.put("datadirs", lists().of(paths.zip(Generate.pick(List.of("", ":100", ":x", ":-1", ":", ":1:2")),
                String::concat)).ofSizeBetween(0, 3).map(list -> String.join(",", list)));
        values.put("metadata-file", Generate.pick(List.of("meta-object.json", "meta-list.json", "meta-bad.json",
                "meta-noid.json", "meta-relative.json", "meta-other.json", "meta-unknown.json", "missing.json",
                "garbage.pem")).map(name -> gen + "/" + name));
        values.put("id", Generate.pick(List.of("nfs-1", "", " ", "x".repeat(300))));
        values.put("mountpoint", paths.mix(Generate.pick(List.of("relative", "/elsewhere")), 20));
        values.put("file-perm", Generate.pick(List.of("0640", "0600", "0777", "0999", "640", "0", "07777", "-1",
                "x", "", "0o640", "00000640")));
        values.put("chunk-size", Generate.pick(List.of("64KiB", "1", "0", "-1", "1KiB", "64MiB", "65MiB", "1ZB", "abc",
                "", "99999999999999999999999", "1.5KiB", " 4KiB ", "4 KiB", "4kib")));
        Gen<String> booleans = Generate.pick(List.of("true", "false", "TRUE", "yes", "1", "", " true", "null"));
        values.put("fsync", booleans);
        values.put("thin-provisioning", booleans);
        values.put("insecure", booleans);
        values.put("max-redirects", Generate.pick(List.of("5", "0", "-1", "2147483648", "x", "", "1e3")));
        Gen<String> durations = Generate.pick(List.of("30s", "500ms", "PT1S", "-1s", "0s", "1h", "abc", "",
                "9999999999999d", "PT", "1.5s", "99999999999999999999ms"));
        values.put("connect-timeout", durations);
        values.put("read-timeout", durations);
        values.put("proxy", Generate.pick(List.of("http://" + proxySecret + ".invalid:3128",
                "http://user:" + proxySecret + "@proxy:3128", "ftp://" + proxySecret, proxySecret,
                "http://" + proxySecret + ":99999", "", ":" + proxySecret, "http://[" + proxySecret + "]")));
        Gen<String> hosts = Generate.pick(List.of("loopback", "10.0.0.0/8", "*.example", "10.0.0.0/99", "", "*",
                "[::1]", "::1/200", "a..b", "private,link-local", "256.1.1.1", "host name"));
        values.put("allow-hosts", hosts);
        values.put("deny-hosts", hosts);
        values.put("user-agent", Generate.pick(List.of("x", "", "\u0000", "a\r\nInjected: 1", "\u00e9")));
        values.put("ca-file", Generate.pick(List.of("garbage.pem", "empty.pem", "truncated.pem", "missing.pem"))
                .map(name -> gen + "/" + name));
        values.put("access-key", Generate.pick(List.of(keySecret, "", " ")));
        values.put("weight", Generate.pick(List.of("0", "10", "-5", "x", "99999999999", "")));
        String s3Secret = Evidence.secret("s3-key");
        values.put("endpoint", Generate.pick(List.of("http://127.0.0.1:1", "http://127.0.0.1:1", "https://s3.example",
                "ftp://x", "http://ak:" + s3Secret + "@h", "http://h/path", "", "::", "http://h?q=1")));
        values.put("bucket", Generate.pick(List.of("images", "images", "", "Bad_Bucket", "a", "x".repeat(64),
                "-images", "images.", "192.168.0.1", "a..b")));
        values.put("secret-key", Generate.pick(List.of(s3Secret, s3Secret, "", " ")));
        values.put("region", Generate.pick(List.of("us-east-1", "eu-west-3", "", "nowhere", "US-EAST-1")));
        values.put("key-prefix", Generate.pick(List.of("glance/", "", "../", "/", "a//b/", "\u0000", "x".repeat(900))));
        values.put("addressing", Generate.pick(List.of("path", "virtual-hosted", "auto", "x", "")));
        values.put("create-bucket-on-put", booleans);
        values.put("large-object-threshold", Generate.pick(List.of("100MiB", "0", "5GiB", "6GiB", "-1", "x")));
        values.put("part-size", Generate.pick(List.of("5MiB", "10MiB", "4MiB", "1GiB", "2GiB", "x", "")));
        values.put("upload-concurrency", Generate.pick(List.of("4", "1", "0", "65", "x", "")));
        values.put("conditional-writes", Generate.pick(List.of("auto", "true", "false", "maybe", "")));
        values.put("checksum-calculation", Generate.pick(List.of("auto", "when-supported", "when-required", "x")));
        values.put("socket-timeout", durations);
        List<String> optionNames = new ArrayList<>(values.keySet());
        optionNames.addAll(List.of("datadri", "read-timout", "", ".", "x", "type.x", "TYPE", "Datadir"));

        Gen<String> storeNames = Generate.pick(List.of("a", "a", "images", "web", "Bad", "x.y", "", "-a", "a_b",
                "\u00fcber", "a b"));
        Gen<String> types = Generate.pick(List.of("file", "file", "http", "http", "memory", "FILE", "", " ", "nope",
                "s3"));
        Gen<Map.Entry<String, String>> option = Generate.pick(optionNames).flatMap(name -> {
            Gen<String> value = values.getOrDefault(name, Generate.pick(List.of("", "x", "1")));
            return value.map(text -> Map.entry(name, text));
        });
        Gen<Map<String, String>> store = storeNames.zip(types, lists().of(option).ofSizeBetween(0, 5),
                integers().between(0, 9), (name, type, options, shape) -> {
                    Map<String, String> keys = new LinkedHashMap<>();
                    if (shape > 0) {
                        keys.put("stowage.stores." + name + ".type", type);
                    }
                    for (Map.Entry<String, String> entry : options) {
                        keys.put("stowage.stores." + name + "." + entry.getKey(), entry.getValue());
                    }
                    if (shape >= 3 && type.equals("file") && options.stream().noneMatch(e -> e.getKey()
                            .startsWith("datadir"))) {
                        keys.put("stowage.stores." + name + ".datadir", gen + "/" + name);
                    }
                    return keys;
                });
        Gen<Map<String, String>> topLevel = lists().of(Generate.pick(List.of(
                Map.entry("stowage.default-store", "a"), Map.entry("stowage.default-store", "nope"),
                Map.entry("stowage.default-store", ""), Map.entry("stowage.location-strategy", "location_order"),
                Map.entry("stowage.location-strategy", "store_type"), Map.entry("stowage.location-strategy", "weight"),
                Map.entry("stowage.location-strategy", "nope"), Map.entry("stowage.location-strategy", " "),
                Map.entry("stowage.store-type-preference", "file,http"), Map.entry("stowage.store-type-preference",
                        ",,"), Map.entry("stowage.unknown", "x"), Map.entry("stowge.stores.a.type", "file"),
                Map.entry("other.key", "x"), Map.entry("stowage.stores..type", "file"),
                Map.entry("stowage.stores.a", "file"), Map.entry("stowage.direct.x", "y"),
                Map.entry("stowage.", "x"), Map.entry("stowage", "x")))).ofSizeBetween(0, 3)
                .map(entries -> {
                    Map<String, String> keys = new LinkedHashMap<>();
                    entries.forEach(entry -> keys.put(entry.getKey(), entry.getValue()));
                    return keys;
                });
        // near-valid configurations: a good file, http or S3 store (or file and http), then one or two generated keys
        Gen<Map<String, String>> good = integers().between(0, 3).zip(lists().of(option).ofSizeBetween(0, 2),
                storeNames, (kind, options, name) -> {
                    Map<String, String> keys = new LinkedHashMap<>();
                    if (kind == 0 || kind == 2) {
                        keys.put("stowage.stores.files.type", "file");
                        keys.put("stowage.stores.files.datadir", gen + "/files");
                    }
                    if (kind == 1 || kind == 2) {
                        keys.put("stowage.stores.web.type", "http");
                    }
                    if (kind == 2) {
                        keys.put("stowage.default-store", "files");
                    }
                    if (kind == 3) {
                        keys.put("stowage.stores.objects.type", "s3");
                        keys.put("stowage.stores.objects.endpoint", "http://127.0.0.1:1");
                        keys.put("stowage.stores.objects.bucket", "images");
                        keys.put("stowage.stores.objects.access-key", "reliability-access");
                        keys.put("stowage.stores.objects.secret-key", s3Secret);
                    }
                    String target = kind == 1 ? "web" : kind == 3 ? "objects" : "files";
                    for (Map.Entry<String, String> entry : options) {
                        keys.put("stowage.stores." + target + "." + entry.getKey(), entry.getValue());
                    }
                    return keys;
                });
        Gen<Map<String, String>> generated = lists().of(store).ofSizeBetween(0, 3).zip(topLevel,
                integers().between(0, 49), (stores, top, nulls) -> {
                    Map<String, String> all = new HashMap<>();
                    stores.forEach(all::putAll);
                    all.putAll(top);
                    if (nulls == 0 && !all.isEmpty()) {
                        all.put(all.keySet().iterator().next(), null);
                    } else if (nulls == 1) {
                        all.put(null, "x");
                    }
                    return all;
                });
        Gen<Map<String, String>> maps = generated.mix(good, 40);
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        check(tally, "configuration-maps", maps, map -> {
            Stores[] built = new Stores[1];
            Throwable failure = Caught.outcome(() -> built[0] = Stores.fromMap(map));
            if (failure == null) {
                Evidence.text("Stores.toString", built[0].toString());
                built[0].close();
                tally.inc("accepted");
                outcomes.merge("accepted", 1, Integer::sum);
                return;
            }
            StoreException error = typed(tally, failure, map, ConfigurationException.class, DriverLoadException.class);
            if (error instanceof ConfigurationException configuration) {
                assertThat(configuration.key()).isNotNull();
            }
            outcomes.merge(error.getClass().getSimpleName(), 1, Integer::sum);
        });
        tally.note("configuration-maps.outcomes", outcomes.toString());
        assertThat(tally.get("accepted")).as("generated configurations that were valid").isPositive();
        // whatever the stores created stays under gen/ (directories only, no file); the fixtures are untouched
        List<String> files = Trees.files(root.resolve("config"));
        List<String> created = new ArrayList<>(files);
        created.removeAll(fixtures.stream().map(name -> "gen/" + name).toList());
        tally.add(Tally.ORPHANS, created.size());
        assertThat(created).as("files left by store start-ups (probes, temp files)").isEmpty();
        assertThat(Trees.files(Path.of("").toAbsolutePath().resolve("src"))).isEqualTo(cwdBefore);
    }

}
