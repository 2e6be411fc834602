package dev.stowage.s3;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ForbiddenException;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.InvalidImageIdException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.stowage.s3.TestData.MIB;
import static dev.stowage.s3.TestData.bytes;
import static dev.stowage.s3.TestData.md5Hex;
import static dev.stowage.spi.Store.UNKNOWN_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 store against an embedded S3Proxy: the three write paths (buffered PUT, streaming PUT, multipart), sizes,
 * exclusive create, reads, errors, locations and lifecycle. Small part sizes (5 MiB, the S3 minimum) keep it quick.
 */
class S3StoreTest {
    private static final S3ProxyServer SERVER = S3ProxyServer.shared();
    /** Part 5 MiB, threshold 8 MiB: up to 5 MiB buffered, 5-8 MiB streamed, above multipart. */
    private static final Map<String, String> SMALL_PARTS = Map.of("part-size", "5MiB",
            "large-object-threshold", "8MiB");

    private final List<Store> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(Store::close);
    }

    private Store open(String bucket, Map<String, String> overrides) {
        Map<String, String> options = new HashMap<>(SMALL_PARTS);
        options.putAll(overrides);
        Store store = SERVER.open("images", bucket, options);
        stores.add(store);
        return store;
    }

    private static AddResult add(Store store, String id, byte[] data, long declaredSize) {
        return store.add(id, new ByteArrayInputStream(data), declaredSize, AddOptions.defaults());
    }

    private static byte[] read(Store store, Location location, ByteRange range) throws IOException {
        try (InputStream in = store.get(location, range)) {
            return in.readAllBytes();
        }
    }

    /** The ETag S3 reports: the MD5 for a single PUT, {@code <hash>-<parts>} for a multipart upload. */
    private static String etag(String bucket, String key) {
        return SERVER.admin().headObject(request -> request.bucket(bucket).key(key)).eTag().replace("\"", "");
    }

    @ParameterizedTest(name = "{0} bytes, declared size {1}")
    @ValueSource(ints = {0, 1, 1000, 5 * MIB - 1, 5 * MIB})
    void objectsUpToOnePartGoInOneBufferedPut(int size) throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        byte[] data = bytes(size, size);
        for (long declared : new long[]{size, UNKNOWN_SIZE}) {
            String id = "img-" + (declared == UNKNOWN_SIZE ? "unknown" : "known");
            AddResult result = add(store, id, data, declared);

            assertThat(result.bytesWritten()).isEqualTo(size);
            assertThat(result.md5()).isEqualTo(md5Hex(data));
            assertThat(result.multihash().algorithm()).isEqualTo(HashAlgorithm.SHA512);
            assertThat(result.multihash().hex()).isEqualTo(TestData.sha512Hex(data));
            assertThat(result.location().uri()).isEqualTo(URI.create("s3://" + bucket + "/" + id));
            assertThat(result.location().store()).isEqualTo("images");
            assertThat(etag(bucket, id)).as("a single PUT has the MD5 as its ETag").isEqualTo(md5Hex(data));
            assertThat(read(store, result.location(), ByteRange.all())).isEqualTo(data);
            assertThat(store.size(result.location())).isEqualTo(size);
        }
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @Test
    void knownSizeBetweenOnePartAndTheThresholdIsStreamedInOnePut() throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        byte[] data = bytes(7 * MIB + 3, 7);

        AddResult result = add(store, "medium", data, data.length);

        assertThat(result.bytesWritten()).isEqualTo(data.length);
        assertThat(result.md5()).isEqualTo(md5Hex(data));
        assertThat(etag(bucket, "medium")).isEqualTo(md5Hex(data));
        assertThat(read(store, result.location(), ByteRange.all())).isEqualTo(data);
    }

    @Test
    void knownSizeFromTheThresholdUsesMultipart() throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        byte[] data = bytes(12 * MIB + 3, 12);

        AddResult result = add(store, "large", data, data.length);

        assertThat(result.bytesWritten()).isEqualTo(data.length);
        assertThat(result.md5()).isEqualTo(md5Hex(data));
        assertThat(etag(bucket, "large")).endsWith("-3");
        assertThat(read(store, result.location(), ByteRange.all())).isEqualTo(data);
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @ParameterizedTest(name = "{0} bytes of unknown size")
    @ValueSource(ints = {5 * MIB + 1, 11 * MIB, 15 * MIB})
    void unknownSizeOverOnePartUsesMultipart(int size) throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        byte[] data = bytes(size, size);

        AddResult result = add(store, "stream", data, UNKNOWN_SIZE);

        assertThat(result.bytesWritten()).isEqualTo(size);
        assertThat(result.multihash().hex()).isEqualTo(TestData.sha512Hex(data));
        assertThat(etag(bucket, "stream")).endsWith("-" + ((size + 5 * MIB - 1) / (5 * MIB)));
        assertThat(read(store, result.location(), ByteRange.all())).isEqualTo(data);
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @Test
    void sdkChecksumsWhenSupportedWorkOnEveryWritePath() throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of("checksum-calculation", "when-supported"));
        int[] sizes = {0, 1000, 7 * MIB, 11 * MIB};
        for (int size : sizes) {
            byte[] data = bytes(size, size);
            AddResult known = add(store, "known-" + size, data, data.length);
            AddResult unknown = add(store, "unknown-" + size, data, UNKNOWN_SIZE);
            assertThat(read(store, known.location(), ByteRange.all())).isEqualTo(data);
            assertThat(read(store, unknown.location(), ByteRange.all())).isEqualTo(data);
        }
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @ParameterizedTest(name = "declared {0}")
    @ValueSource(ints = {1000, 7 * MIB, 12 * MIB})
    void aShorterStreamFailsWithASizeErrorAndLeavesNothing(int declared) {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        byte[] data = bytes(declared - 1, declared);

        assertThatThrownBy(() -> add(store, "short", data, declared))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot add s3://" + bucket + "/short: the data ended after " + (declared - 1)
                        + " bytes, the declared size is " + declared);
        assertThat(SERVER.keys(bucket)).isEmpty();
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @ParameterizedTest(name = "declared {0}")
    @ValueSource(ints = {0, 1000, 5 * MIB, 7 * MIB, 12 * MIB})
    void aLongerStreamFailsWithASizeErrorAndLeavesNothing(int declared) {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        byte[] data = bytes(declared + 1, declared);

        assertThatThrownBy(() -> add(store, "long", data, declared))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot add s3://" + bucket + "/long: the data is longer than the declared size "
                        + declared);
        assertThat(SERVER.keys(bucket)).isEmpty();
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @Test
    void negativeDeclaredSizeIsRejected() {
        Store store = open(SERVER.newBucket(), Map.of());
        assertThatThrownBy(() -> add(store, "neg", new byte[1], -5))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessageEndingWith("/neg: the declared size -5 is negative");
    }

    @Test
    void invalidImageIdsAreRejectedBeforeAnyRequest() {
        Store store = open(SERVER.newBucket(), Map.of());
        for (String id : new String[]{"", "..", "a/b", "-x", "a\u0000b"}) {
            assertThatThrownBy(() -> add(store, id, new byte[1], 1))
                    .isInstanceOf(InvalidImageIdException.class)
                    .hasMessageStartingWith("Cannot use image id ");
        }
    }

    @ParameterizedTest(name = "conditional-writes={0}")
    @ValueSource(strings = {"true", "false", "auto"})
    void duplicateAddFailsAndKeepsTheExistingObject(String conditional) throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of("conditional-writes", conditional));
        byte[] first = bytes(100, 1);
        Location location = add(store, "dup", first, first.length).location();

        for (int size : new int[]{10, 7 * MIB, 11 * MIB}) {
            byte[] second = bytes(size, 2);
            assertThatThrownBy(() -> add(store, "dup", second, second.length))
                    .isInstanceOf(DuplicateObjectException.class)
                    .hasMessage("Cannot add s3://" + bucket + "/dup: the object already exists");
            assertThatThrownBy(() -> add(store, "dup", second, UNKNOWN_SIZE))
                    .isInstanceOf(DuplicateObjectException.class);
        }
        assertThat(read(store, location, ByteRange.all())).isEqualTo(first);
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @ParameterizedTest(name = "{0} bytes, declared {1}")
    @org.junit.jupiter.params.provider.CsvSource({"1000,1000", "1000,-1", "7340032,7340032", "11534336,11534336",
            "11534336,-1"})
    void aWriterThatWinsWhileWeSendMakesOurAddADuplicate(int size, long declared) throws IOException {
        // the "other writer" creates the object half-way through our data: with If-None-Match the final PUT or
        // CompleteMultipartUpload fails with 412, and the other writer's object is untouched
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of("conditional-writes", "true"));
        assertThat(store.capabilities()).contains(Capability.ATOMIC_CREATE);
        byte[] theirs = bytes(64, 3);
        byte[] ours = bytes(size, 4);
        InputStream racing = TestData.actingAt(ours, size / 2, () -> SERVER.admin().putObject(
                request -> request.bucket(bucket).key("race"), RequestBody.fromBytes(theirs)));

        assertThatThrownBy(() -> store.add("race", racing, declared, AddOptions.defaults()))
                .isInstanceOf(DuplicateObjectException.class)
                .hasMessage("Cannot add s3://" + bucket + "/race: the object already exists");
        assertThat(read(store, store.location(URI.create("s3://" + bucket + "/race")), ByteRange.all()))
                .isEqualTo(theirs);
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @Test
    void withoutConditionalWritesAMultipartAddChecksAgainBeforeCompleting() throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of("conditional-writes", "false"));
        assertThat(store.capabilities()).doesNotContain(Capability.ATOMIC_CREATE);
        byte[] theirs = bytes(64, 3);
        byte[] ours = bytes(11 * MIB, 4);
        InputStream racing = TestData.actingAt(ours, 6 * MIB, () -> SERVER.admin().putObject(
                request -> request.bucket(bucket).key("race"), RequestBody.fromBytes(theirs)));

        assertThatThrownBy(() -> store.add("race", racing, UNKNOWN_SIZE, AddOptions.defaults()))
                .isInstanceOf(DuplicateObjectException.class);
        assertThat(read(store, store.location(URI.create("s3://" + bucket + "/race")), ByteRange.all()))
                .isEqualTo(theirs);
        assertThat(SERVER.uploads(bucket)).isEmpty();
    }

    @Test
    void s3ProxyHonoursConditionalWritesSoAutoDeclaresAtomicCreate() {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of("conditional-writes", "auto"));

        assertThat(store.capabilities()).containsExactlyInAnyOrder(Capability.READ, Capability.RANGE_READ,
                Capability.WRITE, Capability.DELETE, Capability.ATOMIC_CREATE);
        assertThat(SERVER.keys(bucket)).as("the probe object is removed").isEmpty();
        assertThat(SERVER.uploads(bucket)).as("the probe upload is removed").isEmpty();
    }

    @Test
    void rangesReturnExactlyTheBytesAsked() throws IOException {
        Store store = open(SERVER.newBucket(), Map.of());
        byte[] data = bytes(10_000, 5);
        Location location = add(store, "ranged", data, data.length).location();

        assertThat(read(store, location, ByteRange.of(0, 1))).containsExactly(data[0]);
        assertThat(read(store, location, ByteRange.of(1234, 4000)))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 1234, 5234));
        assertThat(read(store, location, ByteRange.from(9_990)))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 9_990, 10_000));
        assertThat(read(store, location, ByteRange.of(0, 10_000))).isEqualTo(data);
        assertThat(read(store, location, ByteRange.from(10_000))).isEmpty();
        assertThat(read(store, location, ByteRange.of(10_000, 0))).isEmpty();
        assertThatThrownBy(() -> store.get(location, ByteRange.from(10_001)))
                .isInstanceOf(InvalidRangeException.class)
                .hasMessage("Cannot read s3://" + location.uri().getAuthority() + "/ranged: range [10001, end)"
                        + " starts after the end of the object (10000 bytes)");
        assertThatThrownBy(() -> store.get(location, ByteRange.of(9_000, 1_001)))
                .isInstanceOf(InvalidRangeException.class)
                .hasMessageContaining("ends after the end of the object (10000 bytes)");
    }

    @Test
    void rangesOfAnEmptyObject() throws IOException {
        Store store = open(SERVER.newBucket(), Map.of());
        Location location = add(store, "empty", new byte[0], 0).location();

        assertThat(read(store, location, ByteRange.all())).isEmpty();
        assertThat(read(store, location, ByteRange.from(0))).isEmpty();
        assertThat(read(store, location, ByteRange.of(0, 0))).isEmpty();
        assertThatThrownBy(() -> store.get(location, ByteRange.from(1))).isInstanceOf(InvalidRangeException.class);
    }

    @Test
    void streamsFailAfterCloseAndCloseTwice() throws IOException {
        Store store = open(SERVER.newBucket(), Map.of());
        byte[] data = bytes(3 * MIB, 6);
        Location location = add(store, "streamed", data, data.length).location();

        for (ByteRange range : new ByteRange[]{ByteRange.all(), ByteRange.of(10, 100), ByteRange.from(3 * MIB)}) {
            InputStream in = store.get(location, range);
            in.read();
            in.close();
            in.close();
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("Cannot read " + location.uri()
                    + ": the stream is closed");
        }
        // closing early released the connection: many more reads still work
        for (int i = 0; i < 60; i++) {
            try (InputStream in = store.get(location, ByteRange.all())) {
                assertThat(in.read()).isEqualTo(data[0] & 0xff);
            }
        }
    }

    @Test
    void missingObjectsAreNotFoundNamingTheLocation() {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        Location missing = store.location(URI.create("s3://" + bucket + "/missing"));

        assertThatThrownBy(() -> store.get(missing, ByteRange.all()))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageStartingWith("Cannot read s3://" + bucket + "/missing: no such object (HTTP 404");
        assertThatThrownBy(() -> store.get(missing, ByteRange.of(1, 2)))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageStartingWith("Cannot read s3://" + bucket + "/missing: no such object");
        assertThatThrownBy(() -> store.size(missing))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageStartingWith("Cannot read s3://" + bucket + "/missing: no such object");
        assertThatThrownBy(() -> store.delete(missing))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageStartingWith("Cannot delete s3://" + bucket + "/missing: no such object");
    }

    @Test
    void deleteRemovesTheObject() {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        Location location = add(store, "gone", bytes(10, 1), 10).location();

        store.delete(location);

        assertThat(SERVER.keys(bucket)).isEmpty();
        assertThatThrownBy(() -> store.size(location)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.delete(location)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void keyPrefixPutsObjectsUnderItAndLocationsShowIt() throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of("key-prefix", "glance/images"));
        byte[] data = bytes(10, 1);

        Location location = add(store, "abc", data, data.length).location();

        assertThat(location.uri()).isEqualTo(URI.create("s3://" + bucket + "/glance/images/abc"));
        assertThat(SERVER.keys(bucket)).containsExactly("glance/images/abc");
        assertThat(read(store, store.location(location.uri()), ByteRange.all())).isEqualTo(data);
        assertThatThrownBy(() -> store.location(URI.create("s3://" + bucket + "/abc")))
                .isInstanceOf(dev.stowage.api.InvalidLocationException.class)
                .hasMessage("Cannot use location s3://" + bucket + "/abc: the key is outside the store's key prefix"
                        + " 'glance/images/'");
    }

    @Test
    void findLooksAnObjectUpByItsImageId() {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of("key-prefix", "images"));
        Location added = add(store, "present", bytes(10, 1), 10).location();

        assertThat(store.find("present")).contains(added);
        assertThat(store.find("absent")).isEmpty();
        assertThatThrownBy(() -> store.find("../x"))
                .isInstanceOf(InvalidImageIdException.class)
                .hasMessageStartingWith("Cannot use image id '../x': ");
        store.delete(added);
        assertThat(store.find("present")).isEmpty();
    }

    @Test
    void glanceLegacyLocationsAreReadWithoutTheirCredentials() throws IOException {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        byte[] data = bytes(10, 1);
        add(store, "legacy", data, data.length);
        String host = SERVER.endpoint().getAuthority();

        // the secret holds '/', so a plain URI parse sees it as the start of the path
        Location location = store.location(URI.create("s3+http://AKIDEXAMPLE:" + TestSecrets.IN_LOCATION + "@" + host
                + "/" + bucket + "/legacy"));

        assertThat(location.uri()).isEqualTo(URI.create("s3://" + bucket + "/legacy"));
        assertThat(location.toString()).doesNotContain(TestSecrets.IN_LOCATION).doesNotContain("AKIDEXAMPLE");
        assertThat(read(store, location, ByteRange.all())).isEqualTo(data);
    }

    @Test
    void createBucketOnPutCreatesAMissingBucket() throws IOException {
        String bucket = "stowage-created-" + ProcessHandle.current().pid();
        Store store = open(bucket, Map.of("create-bucket-on-put", "true"));
        byte[] data = bytes(10, 1);

        Location location = add(store, "first", data, data.length).location();

        assertThat(read(store, location, ByteRange.all())).isEqualTo(data);
        assertThat(SERVER.keys(bucket)).containsExactly("first");
    }

    @Test
    void aMissingBucketIsAConfigurationErrorOnAdd() {
        Store store = open("stowage-no-such-bucket", Map.of("conditional-writes", "false"));

        assertThatThrownBy(() -> add(store, "x", bytes(10, 1), 10))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot add s3://stowage-no-such-bucket/x: bucket 'stowage-no-such-bucket' does not exist;"
                        + " create it or set 'stowage.stores.images.create-bucket-on-put' to true")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores.images.bucket");
    }

    @Test
    void aProbeThatFindsNoBucketDecidesNothingUntilTheBucketExists() throws IOException {
        String bucket = "stowage-later-" + ProcessHandle.current().pid();
        Store store = open(bucket, Map.of("conditional-writes", "auto"));

        assertThat(store.capabilities()).doesNotContain(Capability.ATOMIC_CREATE);
        assertThatThrownBy(() -> add(store, "x", bytes(10, 1), 10))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bucket '" + bucket + "' does not exist");

        SERVER.admin().createBucket(request -> request.bucket(bucket));

        assertThat(store.capabilities()).contains(Capability.ATOMIC_CREATE);
        byte[] data = bytes(10, 1);
        assertThat(read(store, add(store, "x", data, 10).location(), ByteRange.all())).isEqualTo(data);
    }

    @Test
    void wrongCredentialsAreForbidden() {
        String bucket = SERVER.newBucket();
        Store good = open(bucket, Map.of());
        Location location = add(good, "secret", bytes(10, 1), 10).location();
        Store bad = open(bucket, Map.of("secret-key", TestSecrets.NOT_THE_SECRET, "conditional-writes", "false"));

        assertThatThrownBy(() -> bad.get(location, ByteRange.all()))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageStartingWith("Cannot read s3://" + bucket + "/secret: S3 refused access (HTTP 403")
                .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
        assertThatThrownBy(() -> add(bad, "other", bytes(10, 1), 10))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageStartingWith("Cannot add s3://" + bucket + "/other: S3 refused access (HTTP 403");
    }

    @Test
    void anUnreachableEndpointIsRetryable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Store store = open("bucket", Map.of("endpoint", "http://127.0.0.1:" + port, "connect-timeout", "2s"));

        assertThatThrownBy(() -> store.size(store.location(URI.create("s3://bucket/x"))))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageStartingWith("Cannot read s3://bucket/x: cannot reach S3 (")
                .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
    }

    @Test
    void aClosedStoreRefusesEverythingAndClosesTwice() {
        String bucket = SERVER.newBucket();
        Store store = open(bucket, Map.of());
        Location location = add(store, "x", bytes(10, 1), 10).location();

        store.close();
        store.close();

        assertThatThrownBy(() -> add(store, "y", bytes(10, 1), 10))
                .isInstanceOf(StoreClosedException.class)
                .hasMessage("Cannot add image 'y': store images is closed");
        assertThatThrownBy(() -> store.get(location, ByteRange.all()))
                .isInstanceOf(StoreClosedException.class)
                .hasMessage("Cannot read s3://" + bucket + "/x: store images is closed");
        assertThatThrownBy(() -> store.size(location)).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.delete(location)).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.location(location.uri())).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void theDriverIsFoundThroughServiceLoader() {
        assertThat(java.util.ServiceLoader.load(dev.stowage.spi.StoreDriver.class).stream()
                .map(java.util.ServiceLoader.Provider::type)).contains(S3StoreDriver.class);
        S3StoreDriver driver = new S3StoreDriver();
        assertThat(driver.type()).isEqualTo("s3");
        assertThat(driver.schemes()).containsExactlyInAnyOrder("s3", "s3+http", "s3+https");
    }
}
