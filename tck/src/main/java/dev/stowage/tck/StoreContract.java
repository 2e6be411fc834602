package dev.stowage.tck;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidImageIdException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static dev.stowage.tck.Checks.check;
import static dev.stowage.tck.Checks.checkEquals;
import static dev.stowage.tck.Checks.expectFailure;
import static dev.stowage.tck.Checks.failure;

/**
 * The store contract (rules S1-S14) as an abstract JUnit 5 class. Extend it with one test class per driver and
 * implement {@link #newStore()}. Tests are named by rule (e.g. {@code s5_duplicateAddFailsAndKeepsExisting}); every
 * failure message cites the rule and ends with an "If this fails, check ..." hint.
 *
 * <p>Hooks (stable; the kit's own tests and every driver in this project use exactly these):
 * <ul>
 *   <li>{@link #newStore()}: a fresh store for one test (required);</li>
 *   <li>{@link #settings()}: limits (largest object to try, chunk size, threads) and declared known deviations;</li>
 *   <li>{@link #putFixture(Store, String, byte[])}: places an object for read tests; read-only stores override it to
 *       put the bytes where the store can read them (e.g. on the HTTP server);</li>
 *   <li>{@link #leftovers(Store)}: what a failed add may have left behind in the backend (temp files, in-progress
 *       multipart uploads); the kit asserts a failed add adds nothing to it (rule S4);</li>
 *   <li>{@link #cleanup(Store)}: runs after each test;</li>
 *   <li>{@link #expectedCapabilities()}: the capabilities the store must declare (checked, rule S11);</li>
 *   <li>{@link #secrets()}: credential values that must never appear in a location, message or {@code toString()}
 *       (rules S9, S10);</li>
 *   <li>{@link #missingLocation(Store, String)}: a location of this store where no object exists (rules S4, S7).</li>
 * </ul>
 *
 * <p>Outcomes: a test passes, fails, or is skipped with a reason naming the capability the store does not declare.
 * A test named in {@link ContractSettings#knownDeviations()} is a strict expected failure. A factory that throws or
 * returns {@code null} fails every test. Test methods are {@code final}: deviations are declared, never coded around.
 *
 * <p>System properties: {@code stowage.tck.seed} (replay a run), {@code stowage.tck.large-object-size} (e.g.
 * {@code 1GiB}, overrides the setting), {@code stowage.tck.timeout-seconds} (bound of each wait, default 300).
 */
@ExtendWith(KnownDeviations.class)
public abstract class StoreContract {
    /** System property overriding {@link ContractSettings#largeObjectSize()}. */
    public static final String LARGE_OBJECT_SIZE_PROPERTY = "stowage.tck.large-object-size";
    /** System property bounding every wait of the kit, in seconds. */
    public static final String TIMEOUT_PROPERTY = "stowage.tck.timeout-seconds";

    private static final String RUN = runId();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final int EXAMPLES = 60;
    private static final String ID_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

    private Store store;
    private Set<Capability> capabilities;
    private ContractSettings effective;
    private String testName;
    private Rule rule;
    private boolean closedByTest;
    private final List<Location> created = new CopyOnWriteArrayList<>();

    // ------------------------------------------------------------------------------------------------ hooks

    /** A fresh store for one test. The kit closes it. Throwing or returning {@code null} fails the test. */
    protected abstract Store newStore() throws Exception;

    /** Limits and declared deviations; override to change the defaults. */
    protected ContractSettings settings() {
        return ContractSettings.defaults();
    }

    /**
     * Places {@code data} under {@code imageId} so that {@code store} can read it, and returns its location. The default
     * adds it through the store; read-only stores override this.
     */
    protected Location putFixture(Store store, String imageId, byte[] data) throws Exception {
        return store.add(imageId, new ByteArrayInputStream(data), data.length, AddOptions.defaults()).location();
    }

    /** Leftovers of failed adds in the backend (temp files, open multipart uploads): must not grow (rule S4). */
    protected List<String> leftovers(Store store) throws Exception {
        return List.of();
    }

    /** Runs after each test with the test's store (already closed or not). */
    protected void cleanup(Store store) throws Exception {
    }

    /**
     * The capabilities the store must declare; the kit checks {@code store.capabilities()} against them (rule S11).
     * Empty (the default) skips that check with a reason.
     */
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.empty();
    }

    /**
     * Secret values the store was configured with (passwords, keys, tokens). The kit checks that none appears in a
     * location, an error message or a {@code toString()} (rules S9, S10). Empty (the default) skips those tests with a
     * reason.
     */
    protected Set<String> secrets() {
        return Set.of();
    }

    /**
     * A location of {@code store} for {@code imageId}, where no object exists. The default places a fixture under a
     * sibling id, swaps the id in its URI and parses the result with {@link Store#location(URI)}; stores whose URIs
     * do not contain the image id (content-addressed stores) override this.
     */
    protected Location missingLocation(Store store, String imageId) throws Exception {
        String probe = imageId + "p";
        Location present = fixture(probe, new byte[] {42});
        String uri = present.uri().toString();
        int at = uri.indexOf(probe);
        if (at < 0 || uri.indexOf(probe, at + 1) >= 0) {
            throw new TestAbortedException("cannot derive a location for a missing object: the URI " + uri
                    + " does not contain the image id " + probe + " exactly once; override missingLocation(Store,"
                    + " String) in " + getClass().getName());
        }
        return store.location(URI.create(uri.substring(0, at) + imageId + uri.substring(at + probe.length())));
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @BeforeEach
    final void kitOpenStore(TestInfo info) {
        testName = info.getTestMethod().map(Method::getName).orElse("unknown");
        rule = Rule.ofTest(testName).orElse(Rule.KIT);
        ContractSettings declared = settings();
        if (declared == null) {
            throw failure(Rule.KIT, "settings() returned null", "settings() in " + getClass().getName());
        }
        effective = withOverrides(declared);
        Store opened;
        try {
            opened = newStore();
        } catch (Throwable e) {
            throw failure(Rule.KIT, "the store factory newStore() threw " + e, "that " + getClass().getName()
                    + ".newStore() can build a store here (configuration, credentials, a reachable backend)", e);
        }
        if (opened == null) {
            throw failure(Rule.KIT, "the store factory newStore() returned null", "that "
                    + getClass().getName() + ".newStore() returns a store");
        }
        store = opened;
        Set<Capability> declaredCapabilities = store.capabilities();
        if (declaredCapabilities == null) {
            throw failure(Rule.S11, "store.capabilities() returned null", "capabilities() of " + store.getClass()
                    .getName() + ": return the set of what the store can do");
        }
        capabilities = declaredCapabilities.isEmpty() ? EnumSet.noneOf(Capability.class)
                : EnumSet.copyOf(declaredCapabilities);
    }

    @AfterEach
    final void kitCloseStore() throws Exception {
        if (store == null) {
            return;
        }
        try {
            if (capabilities.contains(Capability.DELETE) && !created.isEmpty()) {
                deleteCreated();
            }
            if (!closedByTest) {
                store.close();
            }
        } finally {
            cleanup(store);
        }
    }

    /** Best effort: removes what the test created, through a fresh store when the test closed its own. */
    private void deleteCreated() {
        Store deleter = store;
        try {
            if (closedByTest) {
                deleter = newStore();
            }
            for (Location location : created) {
                try {
                    deleter.delete(location);
                } catch (StoreException e) {
                    // the object may be gone already (delete tests) or never have been stored
                }
            }
        } catch (Exception e) {
            // cleanup is best effort; a broken factory already failed the test in kitOpenStore
        } finally {
            if (closedByTest && deleter != null && deleter != store) {
                deleter.close();
            }
        }
    }

    private static ContractSettings withOverrides(ContractSettings declared) {
        String size = System.getProperty(LARGE_OBJECT_SIZE_PROPERTY);
        if (size == null || size.isBlank()) {
            return declared;
        }
        try {
            return declared.withLargeObjectSize(OptionType.BYTES.parse(size.trim()));
        } catch (IllegalArgumentException e) {
            throw failure(Rule.KIT, "system property " + LARGE_OBJECT_SIZE_PROPERTY + "='" + size + "' is not a size: "
                    + e.getMessage(), "the value, e.g. 64MiB or 1GiB");
        }
    }

    /** The reason {@code test} is declared to deviate, if it is (read by {@link KnownDeviations}). */
    Optional<String> deviationReason(String test) {
        ContractSettings declared = settings();
        if (declared == null) {
            return Optional.empty();
        }
        return declared.knownDeviations().stream().filter(deviation -> deviation.testName().equals(test))
                .map(ContractSettings.KnownDeviation::reason).findFirst();
    }

    /** Names of every test of the store contract. */
    public static Set<String> testNames() {
        return testNamesOf(StoreContract.class);
    }

    static Set<String> testNamesOf(Class<?> contract) {
        return Arrays.stream(contract.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(Test.class))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------------------------------------ KIT

    /** The settings name real tests and give reasons; the chunk size fits the object sizes the kit tries. */
    @Test
    public final void kit_declaredDeviationsNameContractTests() {
        Set<String> tests = testNames();
        for (ContractSettings.KnownDeviation deviation : effective.knownDeviations()) {
            check(tests.contains(deviation.testName()), Rule.KIT, () -> "settings() declares a known deviation for '"
                    + deviation.testName() + "', which is not a test of the store contract"
                    + Suggest.hint(deviation.testName(), tests),
                    "the test name in withKnownDeviation(...): it is the method name shown in the report");
            check(!deviation.reason().isBlank(), Rule.KIT, () -> "the known deviation " + deviation.testName()
                    + " has a blank reason", "withKnownDeviation(...): say why the store deviates");
        }
    }

    // ------------------------------------------------------------------------------------------------ S1

    @Test
    public final void s1_roundTripEmptyObject() throws Exception {
        roundTrip(0, true);
    }

    @Test
    public final void s1_roundTripOneByte() throws Exception {
        roundTrip(1, true);
    }

    @Test
    public final void s1_roundTripChunkSizeMinusOne() throws Exception {
        roundTrip(effective.chunkSize() - 1L, true);
    }

    @Test
    public final void s1_roundTripChunkSize() throws Exception {
        roundTrip(effective.chunkSize(), true);
    }

    @Test
    public final void s1_roundTripChunkSizePlusOne() throws Exception {
        roundTrip(effective.chunkSize() + 1L, true);
    }

    @Test
    public final void s1_roundTripSeveralMiB() throws Exception {
        roundTrip((5L << 20) + 3, true);
    }

    @Test
    public final void s1_roundTripWithUnknownSize() throws Exception {
        roundTrip(0, false);
        roundTrip(1, false);
        roundTrip(2L * effective.chunkSize() + 1, false);
    }

    @Test
    public final void s1_largeObjectStreamsWithDeclaredSize() throws Exception {
        roundTrip(effective.largeObjectSize(), true);
    }

    @Test
    public final void s1_largeObjectStreamsWithUnknownSize() throws Exception {
        roundTrip(effective.largeObjectSize(), false);
    }

    @Test
    public final void s1_transferToCopiesTheWholeObject() throws Exception {
        require(Capability.READ, "transferTo reads the object");
        String id = id();
        long seed = seed(id);
        int size = 2 * effective.chunkSize() + 7;
        Location location = fixture(id, TestData.bytes(seed, 0, size));
        MessageDigest digest = TestData.sha256();
        long[] received = {0};
        WritableByteChannel channel = new WritableByteChannel() {
            private boolean open = true;

            @Override
            public int write(ByteBuffer source) {
                int n = source.remaining();
                digest.update(source);
                received[0] += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
        long copied = store.transferTo(location, channel);
        String hint = "transferTo(location, channel) of " + store.getClass().getSimpleName()
                + ": it must write every byte of the object and return the count";
        checkEquals((long) size, copied, Rule.S1, "transferTo of " + location.uri() + " returned", hint);
        checkEquals((long) size, received[0], Rule.S1, "bytes transferTo wrote into the channel", hint);
        checkEquals(TestData.sha256Of(seed, 0, size), TestData.hex(digest.digest()), Rule.S1,
                "sha256 of the bytes transferTo wrote", hint);
        check(channel.isOpen(), Rule.S1, () -> "transferTo closed the caller's channel",
                "that transferTo leaves the target open: the caller owns it");
    }

    private void roundTrip(long size, boolean declaredSize) throws Exception {
        require(Capability.WRITE, "the round trip adds an object");
        require(Capability.READ, "the round trip reads the object back");
        String id = id();
        long seed = seed(id);
        TestData.Generated data = new TestData.Generated(seed, size);
        AddResult result = add(id, data, declaredSize ? size : Store.UNKNOWN_SIZE);
        String what = (declaredSize ? "" : "unknown-size ") + "add of " + size + " bytes as " + id;
        check(data.delivered() == size, Rule.S1, () -> what + " returned after reading " + data.delivered()
                + " bytes of the caller's stream", "that add reads the stream to its end");
        check(!data.closed(), Rule.S1, () -> what + " closed the caller's stream",
                "that add leaves the stream open: the caller owns it and closes it");
        String hint = "that add and get stream every byte in order (chunk boundaries, the last partial chunk,"
                + " short reads of the caller's stream)";
        String readSha256 = verifyStored(Rule.S1, result.location(), seed, size, hint);
        checkEquals(data.sha256Hex(), readSha256, Rule.S1, "sha256 of the bytes read back from "
                + result.location().uri() + " against the bytes given to add", hint);
    }

    // ------------------------------------------------------------------------------------------------ S2

    @Test
    public final void s2_addReportsSizeAndDigests() throws Exception {
        require(Capability.WRITE, "the test adds objects");
        for (boolean declared : new boolean[] {true, false}) {
            String id = id();
            long size = effective.chunkSize() + 5L;
            TestData.Generated data = new TestData.Generated(seed(id), size, HashAlgorithm.SHA512);
            AddResult result = add(id, data, declared ? size : Store.UNKNOWN_SIZE);
            String what = "the result of " + (declared ? "" : "unknown-size ") + "add(" + id + ") of " + size
                    + " bytes";
            String hint = "that add counts and hashes exactly the bytes it stores (HashingInputStream)";
            checkEquals(size, result.bytesWritten(), Rule.S2, what + ": bytesWritten", hint);
            checkEquals(data.md5Hex(), result.md5(), Rule.S2, what + ": md5", hint);
            checkEquals(HashAlgorithm.SHA512, result.multihash().algorithm(), Rule.S2,
                    what + ": multihash algorithm with default options", "that add uses AddOptions.hashAlgorithm()");
            checkEquals(data.multihashHex(), result.multihash().hex(), Rule.S2, what + ": multihash", hint);
        }
    }

    @Test
    public final void s2_addHonoursEveryHashAlgorithm() throws Exception {
        require(Capability.WRITE, "the test adds objects");
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            String id = id();
            long size = 1000L + algorithm.ordinal();
            TestData.Generated data = new TestData.Generated(seed(id), size, algorithm);
            AddResult result = store.add(id, data, size, AddOptions.defaults().withHashAlgorithm(algorithm));
            created.add(result.location());
            String hint = "that add computes the multihash with AddOptions.hashAlgorithm()";
            checkEquals(algorithm, result.multihash().algorithm(), Rule.S2, "multihash algorithm of add(" + id
                    + ") with hash algorithm " + algorithm.id(), hint);
            checkEquals(data.multihashHex(), result.multihash().hex(), Rule.S2, algorithm.id() + " multihash of add("
                    + id + ")", hint);
            checkEquals(data.md5Hex(), result.md5(), Rule.S2, "md5 of add(" + id + ")",
                    "that the legacy MD5 is computed whatever the multihash algorithm");
        }
    }

    // ------------------------------------------------------------------------------------------------ S3

    @Test
    public final void s3_shorterStreamThanDeclaredFailsAndStoresNothing() throws Exception {
        require(Capability.WRITE, "the test adds objects");
        List<String> before = leftoversNow();
        String id = id();
        long declared = 2L * effective.chunkSize();
        long given = effective.chunkSize() + 1L;
        expectFailure(Rule.S3, SizeMismatchException.class, "add of " + id + " declaring " + declared
                        + " bytes with a stream of " + given,
                "that add compares the bytes read with the declared size at the end of the stream"
                        + " (SizeEnforcingInputStream) before it makes the object visible",
                () -> add(id, new TestData.Generated(seed(id), given), declared), id);
        nothingLeft(Rule.S3, id, before);
    }

    @Test
    public final void s3_longerStreamThanDeclaredFailsAndStoresNothing() throws Exception {
        require(Capability.WRITE, "the test adds objects");
        List<String> before = leftoversNow();
        String id = id();
        long declared = effective.chunkSize();
        long given = declared + 1;
        expectFailure(Rule.S3, SizeMismatchException.class, "add of " + id + " declaring " + declared
                        + " bytes with a stream of " + given,
                "that add checks the stream ends at the declared size (one byte more must fail), not just stops"
                        + " reading there",
                () -> add(id, new TestData.Generated(seed(id), given), declared), id);
        nothingLeft(Rule.S3, id, before);
    }

    // ------------------------------------------------------------------------------------------------ S4

    @Test
    public final void s4_failingStreamLeavesNothing() throws Exception {
        failingStreamLeavesNothing(true);
    }

    @Test
    public final void s4_failingStreamOfUnknownSizeLeavesNothing() throws Exception {
        failingStreamLeavesNothing(false);
    }

    private void failingStreamLeavesNothing(boolean declaredSize) throws Exception {
        require(Capability.WRITE, "the test adds objects");
        List<String> before = leftoversNow();
        String id = id();
        long size = 3L * effective.chunkSize();
        TestData.Failing data = new TestData.Failing(seed(id), size, effective.chunkSize() + 7L);
        expectFailure(Rule.S4, StoreException.class, (declaredSize ? "" : "unknown-size ") + "add of " + id
                        + " whose stream throws an IOException after " + (effective.chunkSize() + 7) + " bytes",
                "that add translates the stream's IOException into a StoreException and removes what it wrote",
                () -> add(id, data, declaredSize ? size : Store.UNKNOWN_SIZE), id);
        nothingLeft(Rule.S4, id, before);
    }

    @Test
    public final void s4_objectInvisibleUntilAddReturns() throws Exception {
        require(Capability.WRITE, "the test adds an object");
        require(Capability.READ, "the test reads while the add is in progress");
        String id = id();
        Location target = missingLocation(store, id);
        long size = 2L * effective.chunkSize() + 3;
        long seed = seed(id);
        TestData.Pausing data = new TestData.Pausing(seed, size, effective.chunkSize() + 1L);
        ExecutorService writer = Executors.newSingleThreadExecutor(daemon("stowage-tck-writer"));
        try {
            Future<AddResult> adding = writer.submit(() -> add(id, data, size));
            if (!data.awaitPaused(timeoutSeconds(), TimeUnit.SECONDS)) {
                if (adding.isDone()) {
                    adding.get();
                }
                throw failure(Rule.S4, "add of " + id + " did not read " + (effective.chunkSize() + 1)
                        + " bytes within " + timeoutSeconds() + " s", "that add reads the caller's stream");
            }
            String hint = "that add writes to a temporary name (or an uncompleted upload) and publishes the object"
                    + " only when every byte is in";
            try {
                expectFailure(Rule.S4, ObjectNotFoundException.class, "get of " + target.uri()
                        + " while its add was still reading the stream", hint, () -> readAll(target));
                expectFailure(Rule.S4, ObjectNotFoundException.class, "size of " + target.uri()
                        + " while its add was still reading the stream", hint, () -> store.size(target));
            } finally {
                data.release();
            }
            AddResult result = await(adding);
            if (!result.location().uri().equals(target.uri())) {
                throw new TestAbortedException("the location add returned (" + result.location().uri()
                        + ") is not the one known before the add (" + target.uri() + ", from missingLocation): the"
                        + " store's locations depend on more than the image id (e.g. the content), so the object"
                        + " cannot be looked for while its add is in progress");
            }
            verifyStored(Rule.S4, result.location(), seed, size, "that the object is complete once add returns");
        } finally {
            data.release();
            writer.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------ S5

    @Test
    public final void s5_duplicateAddFailsAndKeepsExisting() throws Exception {
        require(Capability.WRITE, "the test adds objects");
        require(Capability.READ, "the test reads the existing object back");
        String id = id();
        long seed = seed(id);
        long size = effective.chunkSize() + 3L;
        AddResult first = add(id, new TestData.Generated(seed, size), size);
        List<String> before = leftoversNow();
        String hint = "that add refuses an existing id with DuplicateObjectException before writing anything"
                + " (S5), and never replaces, truncates or appends to the existing object";
        for (boolean declared : new boolean[] {true, false}) {
            long otherSize = size + 5;
            TestData.Generated other = new TestData.Generated(seed + 1, otherSize);
            expectFailure(Rule.S5, DuplicateObjectException.class, "a second " + (declared ? "" : "unknown-size ")
                    + "add of existing id " + id, hint, () -> add(id, other,
                    declared ? otherSize : Store.UNKNOWN_SIZE), id);
        }
        verifyStored(Rule.S5, first.location(), seed, size, hint);
        List<String> added = new ArrayList<>(leftoversNow());
        added.removeAll(before);
        check(added.isEmpty(), Rule.S5, () -> "the refused duplicate adds left " + added + " behind", hint);
    }

    @Test
    public final void s5_exactlyOneWinnerUnderRace() throws Exception {
        require(Capability.WRITE, "the test adds objects");
        require(Capability.READ, "the test reads the winner back");
        require(Capability.ATOMIC_CREATE, "exclusive create under a race");
        int threads = effective.threads();
        long size = Math.min(2L * effective.chunkSize(), 2L << 20) + 11;
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("stowage-tck-race"));
        try {
            for (int round = 0; round < 3; round++) {
                String id = id();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<AddResult>> adds = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    long seed = seed(id) + i;
                    adds.add(pool.submit(() -> {
                        start.await(timeoutSeconds(), TimeUnit.SECONDS);
                        return add(id, new TestData.Generated(seed, size), size);
                    }));
                }
                List<Integer> winners = new ArrayList<>();
                List<String> others = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    try {
                        adds.get(i).get(timeoutSeconds(), TimeUnit.SECONDS);
                        winners.add(i);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof DuplicateObjectException)) {
                            others.add("writer " + i + ": " + e.getCause());
                        }
                    }
                }
                String hint = "that exclusive create is atomic in the backend (create-if-absent, a conditional put,"
                        + " an exclusive link or rename), not a check followed by a write";
                check(others.isEmpty(), Rule.S5, () -> threads + " racing adds of " + id + " failed otherwise than"
                        + " with DuplicateObjectException: " + others, hint);
                int round1 = round;
                check(winners.size() == 1, Rule.S5, () -> threads + " adds of " + id + " raced (round " + round1
                        + ") and " + winners.size() + " succeeded " + winners + "; exactly one must", hint);
                Location location = adds.get(winners.get(0)).get().location();
                verifyStored(Rule.S5, location, seed(id) + winners.get(0), size,
                        "that the losers of the race leave the winner's object intact");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------ S6

    @Test
    public final void s6_wholeObjectReadReturnsEveryByte() throws Exception {
        require(Capability.READ, "the test reads");
        String id = id();
        long seed = seed(id);
        int size = 2 * effective.chunkSize() + 5;
        Location location = fixture(id, TestData.bytes(seed, 0, size));
        String hint = "get(location, ByteRange.all()) and size(location)";
        checkEquals((long) size, store.size(location), Rule.S6, "size of " + location.uri(), hint);
        expectRange(location, ByteRange.all(), seed, 0, size, hint);
    }

    @Test
    public final void s6_headMiddleAndTailReads() throws Exception {
        require(Capability.READ, "the test reads");
        require(Capability.RANGE_READ, "ranged reads");
        String id = id();
        long seed = seed(id);
        int size = 2 * effective.chunkSize() + 5;
        Location location = fixture(id, TestData.bytes(seed, 0, size));
        String hint = "how get maps ByteRange(offset, length) to the backend's range (inclusive end? off by one?)";
        int chunk = effective.chunkSize();
        expectRange(location, ByteRange.of(0, 1), seed, 0, 1, hint);
        expectRange(location, ByteRange.of(0, 100), seed, 0, 100, hint);
        expectRange(location, ByteRange.of(size / 2 - 3, 7), seed, size / 2 - 3, 7, hint);
        expectRange(location, ByteRange.of(chunk - 1, 3), seed, chunk - 1, 3, hint);
        expectRange(location, ByteRange.of(1, size - 1L), seed, 1, size - 1, hint);
        expectRange(location, ByteRange.of(0, size), seed, 0, size, hint);
        expectRange(location, ByteRange.from(size - 5L), seed, size - 5, 5, hint);
        expectRange(location, ByteRange.from(chunk + 1L), seed, chunk + 1, size - chunk - 1, hint);
        expectRange(location, ByteRange.of(size - 1L, 1), seed, size - 1, 1, hint);
    }

    @Test
    public final void s6_rangedReadsReturnExactBytes() throws Exception {
        require(Capability.READ, "the test reads");
        require(Capability.RANGE_READ, "ranged reads");
        String id = id();
        long seed = seed(id);
        long size = 2L * effective.chunkSize() + 5;
        Location location = fixture(id, TestData.bytes(seed, 0, (int) size));
        property("get(location, ByteRange.of(offset, length)) returns exactly those bytes", () ->
                theory().forAll(Generate.longRange(0, size), Generate.longRange(0, size))
                        .checkAssert((offset, pick) -> {
                            long length = pick % (size - offset + 1);
                            expectRangeUnchecked(location, ByteRange.of(offset, length), seed, offset, length,
                                    "how get maps ByteRange(offset, length) to the backend's range");
                        }));
    }

    @Test
    public final void s6_tailReadsReturnExactBytes() throws Exception {
        require(Capability.READ, "the test reads");
        require(Capability.RANGE_READ, "ranged reads");
        String id = id();
        long seed = seed(id);
        long size = 2L * effective.chunkSize() + 5;
        Location location = fixture(id, TestData.bytes(seed, 0, (int) size));
        property("get(location, ByteRange.from(offset)) returns the tail", () ->
                theory().forAll(Generate.longRange(0, size)).checkAssert(offset ->
                        expectRangeUnchecked(location, ByteRange.from(offset), seed, offset, size - offset,
                                "how get maps a tail read ByteRange.from(offset) (offset equal to the size is"
                                        + " an empty read)")));
    }

    @Test
    public final void s6_emptyReadAtTheEnd() throws Exception {
        require(Capability.READ, "the test reads");
        require(Capability.RANGE_READ, "ranged reads");
        String id = id();
        long seed = seed(id);
        int size = effective.chunkSize() + 9;
        Location location = fixture(id, TestData.bytes(seed, 0, size));
        String hint = "that an offset equal to the size gives an empty stream, not a range error";
        expectRange(location, ByteRange.of(size, 0), seed, size, 0, hint);
        expectRange(location, ByteRange.from(size), seed, size, 0, hint);
    }

    @Test
    public final void s6_readsOfAnEmptyObject() throws Exception {
        require(Capability.READ, "the test reads");
        String id = id();
        Location location = fixture(id, new byte[0]);
        String hint = "reads of a zero-byte object (no range header for the whole object, size 0)";
        checkEquals(0L, store.size(location), Rule.S6, "size of the empty object " + location.uri(), hint);
        expectRange(location, ByteRange.all(), 0, 0, 0, hint);
        if (capabilities.contains(Capability.RANGE_READ)) {
            expectRange(location, ByteRange.of(0, 0), 0, 0, 0, hint);
            expectRange(location, ByteRange.from(0), 0, 0, 0, hint);
            expectFailure(Rule.S6, InvalidRangeException.class, "get of " + location.uri() + " range [0, 1)",
                    "that a range past the end of an empty object is a range error", () -> readAll(location,
                            ByteRange.of(0, 1)), location.uri().toString());
            expectFailure(Rule.S6, InvalidRangeException.class, "get of " + location.uri() + " range [1, end)",
                    "that a range past the end of an empty object is a range error", () -> readAll(location,
                            ByteRange.from(1)), location.uri().toString());
        }
    }

    @Test
    public final void s6_rangesOutsideTheObjectFail() throws Exception {
        require(Capability.READ, "the test reads");
        require(Capability.RANGE_READ, "ranged reads");
        String id = id();
        long size = effective.chunkSize() + 9L;
        Location location = fixture(id, TestData.bytes(seed(id), 0, (int) size));
        Gen<ByteRange> startsAfterEnd = Generate.longRange(size + 1, size + 3L * effective.chunkSize())
                .zip(Generate.longRange(-1, effective.chunkSize()),
                        (offset, length) -> length < 0 ? ByteRange.from(offset) : ByteRange.of(offset, length));
        Gen<ByteRange> endsAfterEnd = Generate.longRange(0, size).zip(Generate.longRange(1, 2L * size),
                (offset, extra) -> ByteRange.of(offset, size - offset + extra));
        property("a range outside the object fails with InvalidRangeException", () ->
                theory().forAll(Generate.oneOf(startsAfterEnd, endsAfterEnd)).checkAssert(range ->
                        expectFailure(Rule.S6, InvalidRangeException.class, "get of " + location.uri() + " (" + size
                                        + " bytes) with range " + range,
                                "that get checks the range against the object's size (ByteRange.within) and"
                                        + " translates the backend's 416 into InvalidRangeException",
                                () -> readAll(location, range), location.uri().toString())));
    }

    @Test
    public final void s6_negativeRangesAreRejectedWhenBuilt() {
        String hint = "ByteRange's constructor in stowage-api";
        expectFailure(Rule.S6, InvalidRangeException.class, "ByteRange.of(-1, 1)", hint, () -> ByteRange.of(-1, 1));
        expectFailure(Rule.S6, InvalidRangeException.class, "ByteRange.from(-5)", hint, () -> ByteRange.from(-5));
        expectFailure(Rule.S6, InvalidRangeException.class, "ByteRange.of(0, -2)", hint, () -> ByteRange.of(0, -2));
        expectFailure(Rule.S6, InvalidRangeException.class, "ByteRange.of(Long.MAX_VALUE, 2)", hint,
                () -> ByteRange.of(Long.MAX_VALUE, 2));
    }

    @Test
    public final void s6_closedStreamThrowsAndCloseTwiceIsHarmless() throws Exception {
        require(Capability.READ, "the test reads");
        String id = id();
        Location location = fixture(id, TestData.bytes(seed(id), 0, 3 * 1024));
        InputStream in = store.get(location, ByteRange.all());
        check(in != null, Rule.S6, () -> "get of " + location.uri() + " returned null", "get returns a stream");
        check(in.read() >= 0, Rule.S6, () -> "the stream of " + location.uri() + " was empty",
                "get of a 3 KiB object");
        in.close();
        try {
            in.close();
        } catch (Exception e) {
            throw failure(Rule.S6, "closing the stream of " + location.uri() + " a second time threw " + e,
                    "that close() of the returned stream is idempotent", e);
        }
        Throwable thrown = null;
        try {
            in.read();
        } catch (IOException | StoreException e) {
            thrown = e;
        }
        check(thrown != null, Rule.S6, () -> "read() on the closed stream of " + location.uri()
                + " returned normally", "that the stream refuses reads once closed (IOException)");
        Throwable thrownArray = null;
        try {
            in.read(new byte[16], 0, 16);
        } catch (IOException | StoreException e) {
            thrownArray = e;
        }
        check(thrownArray != null, Rule.S6, () -> "read(byte[], int, int) on the closed stream of " + location.uri()
                + " returned normally", "that the stream refuses reads once closed (IOException)");
    }

    // ------------------------------------------------------------------------------------------------ S7

    @Test
    public final void s7_getOfMissingObjectFailsWithNotFound() throws Exception {
        require(Capability.READ, "the test reads");
        Location missing = missingLocation(store, id());
        String hint = "that get translates the backend's 404/ENOENT/NoSuchKey into ObjectNotFoundException"
                + " naming the location";
        expectFailure(Rule.S7, ObjectNotFoundException.class, "get of missing object " + missing.uri(), hint,
                () -> readAll(missing), missing.uri().toString());
        if (capabilities.contains(Capability.RANGE_READ)) {
            expectFailure(Rule.S7, ObjectNotFoundException.class, "ranged get [0, 1) of missing object "
                    + missing.uri(), hint + " (also for ranged reads, before any range check)",
                    () -> readAll(missing, ByteRange.of(0, 1)), missing.uri().toString());
        }
    }

    @Test
    public final void s7_sizeOfMissingObjectFailsWithNotFound() throws Exception {
        require(Capability.READ, "size is a read");
        Location missing = missingLocation(store, id());
        expectFailure(Rule.S7, ObjectNotFoundException.class, "size of missing object " + missing.uri(),
                "that size translates the backend's 404/ENOENT/NoSuchKey into ObjectNotFoundException",
                () -> store.size(missing), missing.uri().toString());
    }

    @Test
    public final void s7_deleteOfMissingObjectFailsWithNotFound() throws Exception {
        require(Capability.DELETE, "the test deletes");
        Location missing = missingLocation(store, id());
        expectFailure(Rule.S7, ObjectNotFoundException.class, "delete of missing object " + missing.uri(),
                "that delete checks the object exists (S3's DeleteObject succeeds on missing keys: check first)",
                () -> store.delete(missing), missing.uri().toString());
    }

    // ------------------------------------------------------------------------------------------------ S8

    @Test
    public final void s8_deletedObjectIsNotFound() throws Exception {
        require(Capability.DELETE, "the test deletes");
        require(Capability.READ, "the test reads after delete");
        String id = id();
        Location location = fixture(id, TestData.bytes(seed(id), 0, 1024));
        store.delete(location);
        String hint = "that delete removes the object itself (not only an index entry) before it returns";
        expectFailure(Rule.S8, ObjectNotFoundException.class, "get after delete of " + location.uri(), hint,
                () -> readAll(location), location.uri().toString());
        expectFailure(Rule.S8, ObjectNotFoundException.class, "size after delete of " + location.uri(), hint,
                () -> store.size(location), location.uri().toString());
        expectFailure(Rule.S8, ObjectNotFoundException.class, "a second delete of " + location.uri(), hint,
                () -> store.delete(location), location.uri().toString());
    }

    @Test
    public final void s8_deleteRemovesOnlyItsObject() throws Exception {
        require(Capability.DELETE, "the test deletes");
        require(Capability.READ, "the test reads after delete");
        String first = id();
        String second = id();
        long seed = seed(second);
        Location gone = fixture(first, TestData.bytes(seed(first), 0, 512));
        Location kept = fixture(second, TestData.bytes(seed, 0, 777));
        store.delete(gone);
        verifyStored(Rule.S8, kept, seed, 777, "that delete removes exactly the object of its location");
    }

    // ------------------------------------------------------------------------------------------------ S9

    @Test
    public final void s9_locationRoundTrips() throws Exception {
        require(Capability.READ, "the test reads through the parsed location");
        String id = id();
        long seed = seed(id);
        Location location = fixture(id, TestData.bytes(seed, 0, 2048));
        String hint = "location(URI): it must accept every URI the store makes and return an equal location";
        Location parsed = store.location(URI.create(location.uri().toString()));
        checkEquals(location.uri(), parsed.uri(), Rule.S9, "URI of location(" + location.uri() + ")", hint);
        checkEquals(location.store(), parsed.store(), Rule.S9, "store name of location(" + location.uri() + ")",
                hint);
        checkEquals(location.metadata(), parsed.metadata(), Rule.S9, "metadata of location(" + location.uri()
                + ")", hint);
        verifyStored(Rule.S9, parsed, seed, 2048, "that a parsed location reads the same object");
    }

    @Test
    public final void s9_foreignSchemesAreRejected() {
        for (String uri : List.of("stowage-tck-foreign://example.invalid/images/" + id(), "stowage-tck-other:x")) {
            URI foreign = URI.create(uri);
            expectFailure(Rule.S9, UnknownSchemeException.class, "location(" + uri + ")",
                    "that location(URI) checks the scheme against the store's schemes first",
                    () -> store.location(foreign), foreign.getScheme());
        }
    }

    @Test
    public final void s9_malformedLocationsAreRejected() throws Exception {
        String id = id();
        Location valid = fixture(id, new byte[] {1, 2, 3});
        String scheme = valid.uri().getScheme();
        String text = valid.uri().toString();
        List<String> malformed = new ArrayList<>(List.of(scheme + ":opaque-" + id, scheme + ":/"));
        if (text.contains(id)) {
            for (String unsafe : List.of("../../../../../../etc/passwd", "..", ".", "..%2F..%2Fescape", "%2e%2e",
                    "a%00b", "%0A" + id)) {
                malformed.add(text.replace(id, unsafe));
            }
        }
        for (String uri : malformed) {
            URI bad = URI.create(uri);
            expectFailure(Rule.S9, InvalidLocationException.class, "location(" + uri + ")",
                    "that location(URI) checks the URI's shape and that its image id passes ImageIds.isValid,"
                            + " so no path escapes the store's root",
                    () -> store.location(bad));
        }
    }

    @Test
    public final void s9_locationWithCredentialsIsRejected() throws Exception {
        String id = id();
        URI valid = fixture(id, new byte[] {1}).uri();
        String password = "tck-pw-" + RUN + SEQUENCE.incrementAndGet();
        URI withCredentials = new URI(valid.getScheme(), "tck-user:" + password,
                valid.getHost() == null ? "localhost" : valid.getHost(), valid.getPort(),
                valid.getPath() == null || valid.getPath().isEmpty() ? "/" + id : valid.getPath(), null, null);
        InvalidLocationException error = expectFailure(Rule.S9, InvalidLocationException.class,
                "location(URI with user info)", "that location(URI) refuses URIs with user information"
                        + " (Location.of refuses them too)", () -> store.location(withCredentials));
        noSecretIn(Rule.S9, "the error for a URI with credentials", Set.of(password), error);
    }

    @Test
    public final void s9_unsafeImageIdsAreRejected() throws Exception {
        require(Capability.WRITE, "image ids are checked by add");
        List<String> before = leftoversNow();
        List<String> unsafe = List.of("", ".", "..", "../escape", "a/b", "/abs", "a\\b", "..\\x", "a\u0000b",
                "a\nb", "a\tb", "a b", "x".repeat(ImageIds.MAX_LENGTH + 1), "\uFF41bc", "\u0430bc", "a\u2215b",
                "a\u2024b", "%2e%2e", "-leading-dash", ".hidden", "_x", "caf\u00e9", "a\u200Bb", "a:b", "a?b",
                "a#b", "a*b");
        for (String id : unsafe) {
            check(!ImageIds.isValid(id), Rule.KIT, () -> "the kit's unsafe id " + ImageIds.quote(id)
                    + " is valid by ImageIds", "the kit and stowage-api versions match");
            expectFailure(Rule.S9, InvalidImageIdException.class, "add with unsafe image id " + ImageIds.quote(id),
                    "that add calls ImageIds.requireValid(imageId) before anything else",
                    () -> add(id, new ByteArrayInputStream(new byte[] {7}), 1));
        }
        List<String> added = new ArrayList<>(leftoversNow());
        added.removeAll(before);
        check(added.isEmpty(), Rule.S9, () -> "adds with unsafe ids left " + added + " behind",
                "that ids are checked before anything is written");
    }

    @Test
    public final void s9_generatedUnsafeImageIdsAreRejected() {
        require(Capability.WRITE, "image ids are checked by add");
        Gen<String> anyText = SourceDSL.strings().betweenCodePoints(0, 0x2FFF).ofLengthBetween(0, 40);
        Gen<String> unsafeIds = anyText.zip(SourceDSL.strings().betweenCodePoints(0, 0x2FFF).ofLengthBetween(1, 3),
                Generate.range(0, 40), (text, bad, at) -> {
                    String inserted = text.substring(0, Math.min(at, text.length())) + bad
                            + text.substring(Math.min(at, text.length()));
                    return inserted;
                }).assuming(id -> !ImageIds.isValid(id));
        property("add refuses every id ImageIds refuses", () -> theory().forAll(unsafeIds).checkAssert(id ->
                expectFailure(Rule.S9, InvalidImageIdException.class, "add with unsafe image id "
                                + ImageIds.quote(id), "that add calls ImageIds.requireValid(imageId) first",
                        () -> add(id, new ByteArrayInputStream(new byte[] {7}), 1))));
    }

    @Test
    public final void s9_everyValidImageIdIsAccepted() {
        require(Capability.WRITE, "the test adds objects");
        require(Capability.READ, "the test reads them back");
        Gen<String> tails = SourceDSL.lists().of(Generate.pick(ID_ALPHABET.chars().mapToObj(c -> (char) c)
                .collect(Collectors.toList()))).ofSizeBetween(0, ImageIds.MAX_LENGTH)
                .map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
        property("every id ImageIds accepts can be added, parsed back and read", () ->
                theory().withExamples(40).forAll(tails).checkAssert(tail -> {
                    String prefix = id() + "-";
                    String id = (prefix + tail).substring(0, Math.min(ImageIds.MAX_LENGTH,
                            prefix.length() + tail.length()));
                    try {
                        byte[] data = id.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        AddResult result;
                        try {
                            result = add(id, new ByteArrayInputStream(data), data.length);
                        } catch (StoreException e) {
                            throw failure(Rule.S9, "add refused the valid image id " + ImageIds.quote(id) + ": " + e,
                                    "that the store accepts every id of ImageIds' rule ([A-Za-z0-9._-], up to "
                                            + ImageIds.MAX_LENGTH + " characters)", e);
                        }
                        Location parsed = store.location(result.location().uri());
                        try (InputStream in = store.get(parsed, ByteRange.all())) {
                            check(Arrays.equals(data, in.readAllBytes()), Rule.S9, () -> "reading back "
                                    + ImageIds.quote(id) + " through its parsed location gave other bytes",
                                    "how ids map to object names (escaping, case folding, truncation)");
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
    }

    @Test
    public final void s9_locationsCarryNoSecrets() throws Exception {
        Set<String> secrets = declaredSecrets();
        String id = id();
        Location location = fixture(id, new byte[] {1, 2});
        List<Object> shown = new ArrayList<>(List.of(location, location.uri(), location.metadata(),
                location.store()));
        shown.add(store.location(location.uri()));
        if (capabilities.contains(Capability.WRITE)) {
            String other = id();
            AddResult result = add(other, new ByteArrayInputStream(new byte[] {3}), 1);
            shown.add(result);
            shown.add(result.location().metadata());
        }
        for (Object value : shown) {
            for (String secret : secrets) {
                check(!String.valueOf(value).contains(secret), Rule.S9, () -> "a location or add result shows a"
                        + " declared secret (" + value.getClass().getSimpleName() + ")",
                        "that locations carry no credentials: not in the URI (user info, query), not in the metadata");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ S10

    @Test
    public final void s10_failingCallerStreamIsTranslatedWithItsCause() throws Exception {
        require(Capability.WRITE, "the test adds an object");
        String id = id();
        TestData.Failing data = new TestData.Failing(seed(id), 2L * effective.chunkSize(), 100);
        StoreException error = expectFailure(Rule.S10, StoreException.class, "add of " + id
                        + " whose stream throws an IOException after 100 bytes",
                "that add catches IOException at the driver edge and throws a StoreException subtype",
                () -> add(id, data, 2L * effective.chunkSize()), id);
        check(Checks.causedBy(error, data.failure), Rule.S10, () -> "the error " + error
                + " does not keep the stream's IOException among its causes",
                "that the translation passes the IOException as the cause (new StoreIOException(message, e))");
    }

    @Test
    public final void s10_errorsCarryNoSecrets() throws Exception {
        Set<String> secrets = declaredSecrets();
        List<StoreException> errors = new ArrayList<>();
        errors.add(expectAnyError("location(URI) of a foreign scheme",
                () -> store.location(URI.create("stowage-tck-foreign://x/y"))));
        if (capabilities.contains(Capability.READ)) {
            Location missing = missingLocation(store, id());
            errors.add(expectAnyError("get of missing object " + missing.uri(), () -> readAll(missing)));
            errors.add(expectAnyError("size of missing object " + missing.uri(), () -> store.size(missing)));
            if (capabilities.contains(Capability.DELETE)) {
                errors.add(expectAnyError("delete of missing object " + missing.uri(), () -> store.delete(missing)));
            }
        }
        if (capabilities.contains(Capability.WRITE)) {
            String id = id();
            add(id, new ByteArrayInputStream(new byte[] {1}), 1);
            errors.add(expectAnyError("duplicate add of " + id,
                    () -> add(id, new ByteArrayInputStream(new byte[] {2}), 1)));
            errors.add(expectAnyError("add with unsafe id ../" + id,
                    () -> add("../" + id, new ByteArrayInputStream(new byte[] {2}), 1)));
            String other = id();
            errors.add(expectAnyError("add of " + other + " declaring 5 bytes with a stream of 1",
                    () -> add(other, new ByteArrayInputStream(new byte[] {2}), 5)));
        }
        if (capabilities.contains(Capability.RANGE_READ)) {
            String id = id();
            Location location = fixture(id, new byte[] {1, 2, 3});
            errors.add(expectAnyError("get of " + location.uri() + " (3 bytes) with range [10, 11)",
                    () -> readAll(location, ByteRange.of(10, 1))));
        }
        for (StoreException error : errors) {
            noSecretIn(Rule.S10, "the error " + error.getClass().getSimpleName(), secrets, error);
        }
        for (String secret : secrets) {
            check(!String.valueOf(store).contains(secret), Rule.S10, () -> "the store's toString() shows a declared"
                    + " secret", "toString() of " + store.getClass().getName() + ": show secrets as ****");
        }
    }

    // ------------------------------------------------------------------------------------------------ S11

    @Test
    public final void s11_capabilitiesAreStable() {
        Set<Capability> again = store.capabilities();
        checkEquals(capabilities, again == null ? null : Set.copyOf(again), Rule.S11, "capabilities() called again",
                "that capabilities() returns the same set for the life of the store");
    }

    @Test
    public final void s11_capabilitiesMatchTheDeclaration() {
        Optional<Set<Capability>> expected = expectedCapabilities();
        Assumptions.assumeTrue(expected != null && expected.isPresent(), "no expected capabilities declared:"
                + " override expectedCapabilities() (or set tck.capabilities for the runner) to check "
                + capabilities);
        Set<Capability> want = expected.get().isEmpty() ? EnumSet.noneOf(Capability.class)
                : EnumSet.copyOf(expected.get());
        checkEquals(want, capabilities, Rule.S11, "store.capabilities() against expectedCapabilities()",
                "that the store declares exactly what it can do for this configuration");
    }

    @Test
    public final void s11_addWithoutWriteCapabilityFailsAsUnsupported() {
        requireMissing(Capability.WRITE);
        String id = id();
        OperationNotSupportedException error = expectFailure(Rule.S11, OperationNotSupportedException.class,
                "add on a store that does not declare WRITE", "that add throws OperationNotSupportedException("
                        + "Capability.WRITE, ...) first", () -> add(id, new ByteArrayInputStream(new byte[] {1}), 1));
        checkEquals(Capability.WRITE, error.capability(), Rule.S11, "capability() of the unsupported error",
                "the capability passed to OperationNotSupportedException");
    }

    @Test
    public final void s11_deleteWithoutDeleteCapabilityFailsAsUnsupported() throws Exception {
        requireMissing(Capability.DELETE);
        String id = id();
        long seed = seed(id);
        Location location = fixture(id, TestData.bytes(seed, 0, 100));
        OperationNotSupportedException error = expectFailure(Rule.S11, OperationNotSupportedException.class,
                "delete on a store that does not declare DELETE", "that delete throws OperationNotSupportedException("
                        + "Capability.DELETE, ...) before touching the object", () -> store.delete(location));
        checkEquals(Capability.DELETE, error.capability(), Rule.S11, "capability() of the unsupported error",
                "the capability passed to OperationNotSupportedException");
        if (capabilities.contains(Capability.READ)) {
            verifyStored(Rule.S11, location, seed, 100, "that a refused delete leaves the object");
        }
    }

    @Test
    public final void s11_rangedReadWithoutRangeCapabilityFailsAsUnsupported() throws Exception {
        requireMissing(Capability.RANGE_READ);
        require(Capability.READ, "the test reads");
        String id = id();
        long seed = seed(id);
        Location location = fixture(id, TestData.bytes(seed, 0, 100));
        OperationNotSupportedException error = expectFailure(Rule.S11, OperationNotSupportedException.class,
                "ranged get [1, 3) on a store that does not declare RANGE_READ", "that get throws"
                        + " OperationNotSupportedException(Capability.RANGE_READ, ...) for any range but"
                        + " ByteRange.all()", () -> readAll(location, ByteRange.of(1, 2)));
        checkEquals(Capability.RANGE_READ, error.capability(), Rule.S11, "capability() of the unsupported error",
                "the capability passed to OperationNotSupportedException");
        verifyStored(Rule.S11, location, seed, 100, "that whole-object reads still work without RANGE_READ");
    }

    @Test
    public final void s11_readWithoutReadCapabilityFailsAsUnsupported() throws Exception {
        requireMissing(Capability.READ);
        require(Capability.WRITE, "the test needs an object to read");
        String id = id();
        AddResult result = add(id, new ByteArrayInputStream(new byte[] {1, 2}), 2);
        OperationNotSupportedException error = expectFailure(Rule.S11, OperationNotSupportedException.class,
                "get on a store that does not declare READ", "that get throws OperationNotSupportedException("
                        + "Capability.READ, ...)", () -> readAll(result.location()));
        checkEquals(Capability.READ, error.capability(), Rule.S11, "capability() of the unsupported error",
                "the capability passed to OperationNotSupportedException");
    }

    // ------------------------------------------------------------------------------------------------ S12

    @Test
    public final void s12_concurrentAddsAndReads() throws Exception {
        require(Capability.WRITE, "the test adds objects");
        require(Capability.READ, "the test reads them back");
        int threads = effective.threads();
        int perThread = 4;
        long size = Math.min(2L * effective.chunkSize(), 1L << 20) + 13;
        List<Stored> done = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("stowage-tck-concurrent"));
        String hint = "that the store keeps no per-call state in shared fields (buffers, digests, clients that are"
                + " not thread-safe) and that its maps are concurrent";
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    start.await(timeoutSeconds(), TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        String id = id();
                        long seed = seed(id);
                        AddResult result = add(id, new TestData.Generated(seed, size), size);
                        verifyStored(Rule.S12, result.location(), seed, size, hint);
                        done.add(new Stored(result.location(), seed));
                        Stored other = done.get(Math.floorMod((int) seed, done.size()));
                        verifyStored(Rule.S12, other.location(), other.seed(), size, hint);
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                await(future);
            }
        } finally {
            pool.shutdownNow();
        }
        checkEquals(threads * perThread, done.size(), Rule.S12, "objects added by " + threads + " threads", hint);
        for (Stored object : done) {
            verifyStored(Rule.S12, object.location(), object.seed(), size, hint);
        }
    }

    @Test
    public final void s12_concurrentReadsOfOneObject() throws Exception {
        require(Capability.READ, "the test reads");
        String id = id();
        long seed = seed(id);
        int size = 2 * effective.chunkSize() + 1;
        Location location = fixture(id, TestData.bytes(seed, 0, size));
        int threads = effective.threads();
        boolean ranged = capabilities.contains(Capability.RANGE_READ);
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("stowage-tck-readers"));
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    start.await(timeoutSeconds(), TimeUnit.SECONDS);
                    for (int i = 0; i < 5; i++) {
                        String hint = "that streams returned by get share no buffer or position";
                        if (ranged && (i + thread) % 2 == 1) {
                            long offset = (thread * 997L + i * 131L) % size;
                            expectRange(location, ByteRange.from(offset), seed, offset, size - offset, hint);
                        } else {
                            verifyStored(Rule.S12, location, seed, size, hint);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                await(future);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------ S13

    @Test
    public final void s13_closeIsIdempotent() {
        closedByTest = true;
        try {
            store.close();
            store.close();
        } catch (RuntimeException e) {
            throw failure(Rule.S13, "the second close() of the store threw " + e,
                    "that close() remembers it ran and returns at once the second time", e);
        }
    }

    @Test
    public final void s13_closedStoreRefusesWork() throws Exception {
        String id = id();
        Location location = fixture(id, new byte[] {1, 2, 3});
        closedByTest = true;
        store.close();
        String hint = "that every operation checks the store is open first and throws StoreClosedException";
        expectFailure(Rule.S13, StoreClosedException.class, "location(URI) after close", hint,
                () -> store.location(location.uri()));
        if (capabilities.contains(Capability.READ)) {
            expectFailure(Rule.S13, StoreClosedException.class, "get after close", hint, () -> readAll(location));
            expectFailure(Rule.S13, StoreClosedException.class, "size after close", hint, () -> store.size(location));
        }
        if (capabilities.contains(Capability.WRITE)) {
            String other = id();
            expectFailure(Rule.S13, StoreClosedException.class, "add after close", hint,
                    () -> add(other, new ByteArrayInputStream(new byte[] {1}), 1));
        }
        if (capabilities.contains(Capability.DELETE)) {
            expectFailure(Rule.S13, StoreClosedException.class, "delete after close", hint,
                    () -> store.delete(location));
        }
    }

    // ------------------------------------------------------------------------------------------------ S14

    @Test
    public final void s14_everyLocationCarriesTheStoreMetadata() throws Exception {
        Map<String, String> metadata = store.metadata();
        check(metadata != null, Rule.S14, () -> "metadata() returned null", "return an empty map when there is none");
        checkEquals(metadata, store.metadata(), Rule.S14, "metadata() called twice",
                "that metadata() is fixed for the life of the store");
        String id = id();
        Location location = fixture(id, new byte[] {9});
        String hint = "that every location the store makes is built with Location.of(uri, name(), metadata())";
        checkEquals(metadata, location.metadata(), Rule.S14, "metadata of the location of " + id, hint);
        checkEquals(store.name(), location.store(), Rule.S14, "store name of the location of " + id, hint);
        Location parsed = store.location(location.uri());
        checkEquals(metadata, parsed.metadata(), Rule.S14, "metadata of location(" + location.uri() + ")", hint);
        checkEquals(store.name(), parsed.store(), Rule.S14, "store name of location(" + location.uri() + ")", hint);
        if (capabilities.contains(Capability.WRITE)) {
            AddResult result = add(id(), new ByteArrayInputStream(new byte[] {8}), 1);
            checkEquals(metadata, result.location().metadata(), Rule.S14, "metadata of the location add returned",
                    hint);
            checkEquals(store.name(), result.location().store(), Rule.S14, "store name of the location add returned",
                    hint);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private record Stored(Location location, long seed) {
    }

    /** A fresh image id, unique in this run (and across runs against a shared backend). */
    private String id() {
        return "tck-" + RUN + "-" + rule.id().toLowerCase(java.util.Locale.ROOT) + "-" + SEQUENCE.incrementAndGet();
    }

    private long seed(String id) {
        return TckSeed.derive(testName + "/" + id.substring(id.lastIndexOf('-') + 1));
    }

    private static String runId() {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            out.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
        }
        return out.toString();
    }

    private static long timeoutSeconds() {
        return Long.getLong(TIMEOUT_PROPERTY, 300L);
    }

    private void require(Capability capability, String why) {
        if (capabilities.contains(capability)) {
            return;
        }
        boolean readOnly = !capabilities.contains(Capability.WRITE) && !capabilities.contains(Capability.DELETE);
        if (readOnly && (capability == Capability.WRITE || capability == Capability.DELETE)) {
            throw new TestAbortedException("skipped: read-only store " + store.name() + " (does not declare capability "
                    + capability + "; " + why + ")");
        }
        throw new TestAbortedException("skipped: store " + store.name() + " does not declare capability "
                + capability + " (" + why + ")");
    }

    private void requireMissing(Capability capability) {
        if (capabilities.contains(capability)) {
            throw new TestAbortedException("skipped: store " + store.name() + " declares capability " + capability
                    + ", so the unsupported-operation path of " + capability + " cannot be exercised");
        }
    }

    private Set<String> declaredSecrets() {
        Set<String> secrets = secrets();
        Set<String> usable = secrets == null ? Set.of() : secrets.stream().filter(s -> s != null && s.length() >= 4)
                .collect(Collectors.toSet());
        if (usable.isEmpty()) {
            throw new TestAbortedException("skipped: no secrets declared; override secrets() (or configure a"
                    + " secret option for the runner) so the kit can check that none leaks");
        }
        return usable;
    }

    private AddResult add(String id, InputStream data, long size) {
        AddResult result = store.add(id, data, size, AddOptions.defaults());
        if (result == null) {
            throw failure(Rule.S2, "add(" + ImageIds.quote(id) + ") returned null", "that add returns its AddResult");
        }
        created.add(result.location());
        return result;
    }

    /** Places a fixture through {@link #putFixture}, reporting a failure there as a setup problem. */
    private Location fixture(String id, byte[] data) {
        Location location;
        try {
            location = putFixture(store, id, data);
        } catch (TestAbortedException | AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw failure(rule, "placing fixture " + id + " (" + data.length + " bytes) with putFixture failed: " + e,
                    "putFixture() of " + getClass().getName() + " and that add works (S1)", e);
        }
        if (location == null) {
            throw failure(Rule.KIT, "putFixture returned null for " + id, "putFixture() of " + getClass().getName());
        }
        created.add(location);
        return location;
    }

    private List<String> leftoversNow() throws Exception {
        List<String> found = leftovers(store);
        return found == null ? List.of() : List.copyOf(found);
    }

    /** After a failed add of {@code id}: no new leftovers, and the id is free again. */
    private void nothingLeft(Rule rule, String id, List<String> before) throws Exception {
        List<String> added = new ArrayList<>(leftoversNow());
        added.removeAll(before);
        check(added.isEmpty(), rule, () -> "the failed add of " + id + " left " + added + " behind",
                "that a failed add removes its temporary file or aborts its multipart upload (also when the"
                        + " caller's stream fails)");
        long seed = seed(id) + 99;
        AddResult again;
        try {
            again = add(id, new TestData.Generated(seed, 10), 10);
        } catch (DuplicateObjectException e) {
            throw failure(rule, "after the failed add of " + id + ", adding it again fails as a duplicate: the failed"
                    + " add left an object behind", "that add publishes the object only after the size and the"
                    + " stream were checked, and removes partial data on failure", e);
        }
        if (capabilities.contains(Capability.READ)) {
            verifyStored(rule, again.location(), seed, 10, "that the failed add left no partial data under " + id);
        }
    }

    /**
     * The object at {@code location} has {@code size} bytes equal to generated object {@code seed} (compared byte by
     * byte against the regenerated data while streaming). Returns the SHA-256 of what was read.
     */
    private String verifyStored(Rule rule, Location location, long seed, long size, String hint) throws IOException {
        long actualSize = store.size(location);
        checkEquals(size, actualSize, rule, "size of " + location.uri(), hint);
        TestData.ReadBack read;
        try (InputStream in = store.get(location, ByteRange.all())) {
            check(in != null, rule, () -> "get of " + location.uri() + " returned null", hint);
            read = TestData.readAndCompare(in, seed, 0, size);
        }
        TestData.ReadBack result = read;
        check(result.matches(size), rule, () -> "reading " + location.uri() + " back: "
                + result.describe(size, TestData.sha256Of(seed, 0, size)), hint);
        return result.sha256();
    }

    private void expectRange(Location location, ByteRange range, long seed, long offset, long length, String hint)
            throws IOException {
        TestData.ReadBack read;
        try (InputStream in = store.get(location, range)) {
            check(in != null, Rule.S6, () -> "get of " + location.uri() + " " + range + " returned null", hint);
            read = TestData.readAndCompare(in, seed, offset, length);
        }
        TestData.ReadBack result = read;
        check(result.matches(length), Rule.S6, () -> "get of " + location.uri() + " with range " + range + ": "
                + result.describe(length, TestData.sha256Of(seed, offset, length)), hint);
    }

    private void expectRangeUnchecked(Location location, ByteRange range, long seed, long offset, long length,
                                      String hint) {
        try {
            expectRange(location, range, seed, offset, length, hint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readAll(Location location) throws IOException {
        readAll(location, ByteRange.all());
    }

    private void readAll(Location location, ByteRange range) throws IOException {
        try (InputStream in = store.get(location, range)) {
            if (in != null) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
    }

    private static StoreException expectAnyError(String action, Checks.Call call) {
        try {
            call.run();
        } catch (StoreException e) {
            return e;
        } catch (Exception e) {
            throw failure(Rule.S10, action + " threw " + e + ", not a StoreException",
                    "that errors are translated to StoreException subtypes at the driver edge", e);
        }
        throw failure(Rule.S10, action + " returned normally although it must fail; this test collects the errors"
                + " of such calls to look for secrets", "the rule that covers this call (its own test fails too)");
    }

    private static void noSecretIn(Rule rule, String what, Set<String> secrets, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (String secret : secrets) {
                String text = t + " " + t.getMessage();
                check(!text.contains(secret), rule, () -> what + " shows a declared secret in its message or"
                        + " toString()", "that messages name locations without user info and never print"
                        + " configuration values of secret options");
            }
            for (Throwable suppressed : t.getSuppressed()) {
                noSecretIn(rule, what + " (suppressed)", secrets, suppressed);
            }
        }
    }

    private QuickTheory theory() {
        return QuickTheory.qt().withFixedSeed(TckSeed.seed()).withExamples(EXAMPLES).withShrinkCycles(200);
    }

    private void property(String what, Runnable body) {
        try {
            body.run();
        } catch (TestAbortedException e) {
            throw e;
        } catch (AssertionError e) {
            throw new AssertionFailedError(rule.id() + " (" + rule.title() + ") violated: property '" + what
                    + "' falsified (kit seed " + TckSeed.seed() + "; replay with -D" + TckSeed.PROPERTY + "="
                    + TckSeed.seed() + ")\n" + e.getMessage(), e);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get(timeoutSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        } catch (TimeoutException e) {
            throw failure(Rule.KIT, "an operation did not finish within " + timeoutSeconds() + " s (-D"
                    + TIMEOUT_PROPERTY + ")", "whether the store hangs (a lock held, a stream never closed)", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
