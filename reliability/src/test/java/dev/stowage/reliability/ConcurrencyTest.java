package dev.stowage.reliability;

import dev.stowage.api.AddFailedException;
import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.FanOutMode;
import dev.stowage.api.FanOutResult;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.StoreException;
import dev.stowage.api.Stores;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Many threads on one store: racing adds of one id (exactly one winner, the others get the duplicate error, the
 * winner's bytes are what is stored), reads while other threads delete and re-add (a read gives one whole version or
 * not-found, never a mixture), fan-out adds racing across two stores (both copies of one winner, or none), and
 * concurrent range reads over HTTP. Every test runs under a preemptive time bound: a deadlock fails the test instead
 * of hanging the build (the bound is generous; it is not a speed assertion).
 */
@ExtendWith(Recorded.class)
class ConcurrencyTest {
    private static final Tally TALLY = Tally.of("concurrency");
    private static final Duration BOUND = Duration.ofMinutes(3);
    private static final int THREADS = 8;

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0} data directories")
    @ValueSource(ints = {1, 2})
    void racingAddsOfOneIdHaveExactlyOneWinner(int directories) throws Exception {
        long seed = Knobs.seed(TALLY, "racing-adds-" + directories);
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        Store store = directories == 1 ? FileStores.open(a, "fsync", "false")
                : openTwo(a, b);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        Map<Path, Map<String, String>> expected = new HashMap<>();
        expected.put(a.toRealPath(), new HashMap<>());
        if (directories == 2) {
            expected.put(b.toRealPath(), new HashMap<>());
        }
        try (store) {
            assertTimeoutPreemptively(BOUND, () -> {
                for (int round = 0; round < Knobs.scaled(25); round++) {
                    racingRound(store, pool, seed, round, expected);
                }
            });
        } finally {
            pool.shutdownNow();
        }
        for (Map.Entry<Path, Map<String, String>> directory : expected.entrySet()) {
            Trees.assertExactly(TALLY, directory.getKey(), directory.getValue());
        }
    }

    private static Store openTwo(Path a, Path b) {
        return new dev.stowage.file.FileStoreDriver().create(dev.stowage.spi.StoreConfig.parse("local",
                FileStores.PREFIX, new dev.stowage.file.FileStoreDriver().options(),
                Map.of("datadirs", a + ":100," + b + ":100", "fsync", "false")));
    }

    private void racingRound(Store store, ExecutorService pool, long seed, int round,
                             Map<Path, Map<String, String>> expected) throws Exception {
        int contended = 3;
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<List<Object>>> results = new ArrayList<>();
        byte[][][] data = new byte[THREADS][contended + 1][];
        Random sizes = new Random(seed + round);
        for (int t = 0; t < THREADS; t++) {
            for (int k = 0; k <= contended; k++) {
                data[t][k] = Bytes.random(sizes.nextInt(200_000), seed ^ (round * 1_000L + t * 10L + k));
            }
        }
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Object> outcomes = new ArrayList<>();
                for (int k = 0; k < contended; k++) {
                    start.await(30, TimeUnit.SECONDS);
                    String id = "dup-" + round + "-" + k;
                    byte[] bytes = data[thread][k];
                    outcomes.add(outcome(() -> store.add(id, new ByteArrayInputStream(bytes), bytes.length,
                            AddOptions.defaults())));
                }
                byte[] solo = data[thread][contended];
                outcomes.add(outcome(() -> store.add("solo-" + round + "-" + thread, new ByteArrayInputStream(solo),
                        solo.length, AddOptions.defaults())));
                return outcomes;
            }));
        }
        List<List<Object>> all = new ArrayList<>();
        for (Future<List<Object>> result : results) {
            all.add(result.get(60, TimeUnit.SECONDS));
        }
        for (int k = 0; k <= contended; k++) {
            int winners = 0;
            for (int t = 0; t < THREADS; t++) {
                Object outcome = all.get(t).get(k);
                TALLY.inc(Tally.CASES);
                if (outcome instanceof AddResult result) {
                    winners++;
                    assertThat(result.multihash().hex()).isEqualTo(Bytes.sha512(data[t][k]));
                    Path file = Path.of(result.location().uri());
                    expected.get(file.getParent()).put(file.getFileName().toString(), Bytes.sha512(data[t][k]));
                    assertThat(Bytes.sha512(store.get(result.location(), ByteRange.all())))
                            .as("the stored bytes are the winner's").isEqualTo(Bytes.sha512(data[t][k]));
                } else {
                    assertThat(k).as("a distinct id failed: %s", outcome).isLessThan(contended);
                    assertThat(outcome).as("the loser's error").isInstanceOf(DuplicateObjectException.class);
                    assertThat(((Throwable) outcome).getMessage()).startsWith("Cannot add ").contains("/dup-" + round
                            + "-" + k + ": the object ").contains("already exists");
                    TALLY.inc("losers");
                }
            }
            if (k < contended) {
                TALLY.inc("contended-ids");
                TALLY.inc(Tally.FAULTS);
                assertThat(winners).as("winners of dup-%d-%d", round, k).isEqualTo(1);
                TALLY.inc("winners");
            } else {
                assertThat(winners).as("distinct ids added").isEqualTo(THREADS);
            }
        }
    }

    private static Object outcome(Callable<AddResult> add) {
        try {
            return add.call();
        } catch (Throwable thrown) {
            Evidence.exception(thrown);
            return thrown;
        }
    }

    /**
     * Readers read whole objects and ranges while other threads delete them and add new versions under the same ids.
     * A read gives exactly one version (whole, or the asked slice of it) or fails with not-found; a delete succeeds
     * once per version or finds nothing.
     */
    @Test
    void readsWhileDeletingAndReAdding() throws Exception {
        long seed = Knobs.seed(TALLY, "read-delete");
        Path datadir = root.resolve("data");
        int ids = 16;
        Map<String, List<byte[]>> versions = new ConcurrentHashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        AtomicInteger versionCounter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Store store = FileStores.open(datadir, "fsync", "false", "chunk-size", "4KiB")) {
            Random random = new Random(seed);
            for (int i = 0; i < ids; i++) {
                String id = "obj-" + i;
                int size = 1 + random.nextInt(150_000);
                sizes.put(id, size);
                byte[] first = Bytes.random(size, random.nextLong());
                versions.put(id, new CopyOnWriteArrayList<>(List.of(first)));
                FileStores.add(store, id, first);
            }
            URI base = datadir.toRealPath().toUri();
            int operations = Knobs.scaled(200);
            assertTimeoutPreemptively(BOUND, () -> {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    boolean reader = t < 6;
                    Random own = new Random(seed + t);
                    workers.add(pool.submit(() -> {
                        for (int op = 0; op < operations; op++) {
                            String id = "obj-" + own.nextInt(ids);
                            Location location = store.location(base.resolve(id));
                            TALLY.inc(Tally.CASES);
                            if (reader) {
                                read(store, location, id, sizes.get(id), versions.get(id), own);
                            } else {
                                deleteAndReAdd(store, location, id, sizes.get(id), versions, versionCounter, own);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            });
            // what is left is one known version of each id that is still there, and no temp file
            Map<String, String> present = new HashMap<>();
            for (String name : Trees.files(datadir)) {
                byte[] bytes = store.get(store.location(base.resolve(name)), ByteRange.all()).readAllBytes();
                assertThat(versions.get(name)).as("versions of %s", name)
                        .anySatisfy(version -> assertThat(version).isEqualTo(bytes));
                present.put(name, Bytes.sha512(bytes));
            }
            Trees.assertExactly(TALLY, datadir, present);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void read(Store store, Location location, String id, int size, List<byte[]> versions,
                             Random random) throws Exception {
        long offset = random.nextInt(size);
        ByteRange range = random.nextBoolean() ? ByteRange.all()
                : ByteRange.of(offset, random.nextInt((int) (size - offset) + 1));
        byte[] bytes;
        try (InputStream in = store.get(location, range)) {
            bytes = in.readAllBytes();
        } catch (ObjectNotFoundException e) {
            Evidence.exception(e);
            assertThat(e).hasMessage("Cannot read " + location.uri() + ": no such object");
            TALLY.inc("reads-not-found");
            return;
        }
        long from = range.isAll() ? 0 : range.offset();
        long length = range.isAll() ? size : range.length();
        byte[] expectedVersion = null;
        for (byte[] version : versions) {
            if (java.util.Arrays.equals(bytes, Bytes.slice(version, from, length))) {
                expectedVersion = version;
                break;
            }
        }
        assertThat(expectedVersion).as("%s of %s matches one whole version", range, id).isNotNull();
        TALLY.inc("reads-complete");
    }

    private static void deleteAndReAdd(Store store, Location location, String id, int size,
                                       Map<String, List<byte[]>> versions, AtomicInteger versionCounter,
                                       Random random) {
        try {
            store.delete(location);
            TALLY.inc("deletes");
        } catch (ObjectNotFoundException e) {
            Evidence.exception(e);
            TALLY.inc("deletes-not-found");
        }
        if (random.nextBoolean()) {
            byte[] next = Bytes.random(size, versionCounter.incrementAndGet() * 7919L);
            versions.get(id).add(next); // known before any reader can see it
            try {
                FileStores.add(store, id, next);
                TALLY.inc("re-adds");
            } catch (DuplicateObjectException e) {
                Evidence.exception(e);
                TALLY.inc("re-adds-lost-race");
            }
        }
    }

    /**
     * Fan-out adds of one id to two stores, racing: an add counts only when both copies were written. At most one
     * racer wins; afterwards the id is in both stores with the winner's bytes, or in neither (when each racer won one
     * store, both roll back). No partial state, no temp file.
     */
    @Test
    void fanOutRacesLeaveBothCopiesOrNone() throws Exception {
        long seed = Knobs.seed(TALLY, "fan-out-races");
        Path a = root.resolve("fan-a");
        Path b = root.resolve("fan-b");
        Map<String, String> configuration = new HashMap<>(FileStores.stowage("a", a));
        configuration.putAll(FileStores.stowage("b", b));
        configuration.put("stowage.stores.a.fsync", "false");
        configuration.put("stowage.stores.b.fsync", "false");
        configuration.put("stowage.default-store", "a");
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        Map<String, String> inA = new HashMap<>();
        Map<String, String> inB = new HashMap<>();
        try (Stores stores = Stores.fromMap(configuration)) {
            assertTimeoutPreemptively(BOUND, () -> {
                for (int round = 0; round < Knobs.scaled(20); round++) {
                    String id = "fan-" + round;
                    CyclicBarrier start = new CyclicBarrier(racers);
                    byte[][] data = new byte[racers][];
                    List<Future<Object>> results = new ArrayList<>();
                    for (int t = 0; t < racers; t++) {
                        data[t] = Bytes.random(1 + new Random(seed + round * 31L + t).nextInt(300_000),
                                seed ^ (round * 100L + t));
                        byte[] bytes = data[t];
                        results.add(pool.submit(() -> {
                            start.await(30, TimeUnit.SECONDS);
                            try {
                                return stores.addAll(List.of("a", "b"), id, new ByteArrayInputStream(bytes),
                                        bytes.length, FanOutMode.ALL_MUST_SUCCEED);
                            } catch (StoreException e) {
                                Evidence.exception(e);
                                return e;
                            }
                        }));
                    }
                    int winner = -1;
                    for (int t = 0; t < racers; t++) {
                        Object outcome = results.get(t).get(60, TimeUnit.SECONDS);
                        TALLY.inc(Tally.CASES);
                        if (outcome instanceof FanOutResult result) {
                            assertThat(winner).as("a second winner of %s", id).isEqualTo(-1);
                            assertThat(result.allSucceeded()).isTrue();
                            winner = t;
                        } else {
                            assertThat(outcome).isInstanceOf(AddFailedException.class);
                            assertThat(((AddFailedException) outcome).failures().values())
                                    .allSatisfy(failure -> assertThat(failure)
                                            .isInstanceOf(DuplicateObjectException.class));
                        }
                    }
                    TALLY.inc(Tally.FAULTS);
                    TALLY.inc(winner >= 0 ? "fan-out-rounds-one-winner" : "fan-out-rounds-no-winner");
                    if (winner >= 0) {
                        inA.put(id, Bytes.sha512(data[winner]));
                        inB.put(id, Bytes.sha512(data[winner]));
                    }
                    Trees.assertExactly(TALLY, a, inA);
                    Trees.assertExactly(TALLY, b, inB);
                }
            });
        } finally {
            pool.shutdownNow();
        }
    }

    /** Many threads reading random ranges of a few objects through one HTTP store from a real server. */
    @Test
    void concurrentRangeReadsOverHttp() throws Exception {
        long seed = Knobs.seed(TALLY, "http-range-reads");
        Random random = new Random(seed);
        Path datadir = root.resolve("served");
        Map<String, byte[]> objects = new HashMap<>();
        Map<String, String> configuration = new HashMap<>(FileStores.stowage("local", datadir));
        configuration.put("stowage.stores.local.fsync", "false");
        configuration.put("stowage.stores.web.type", "http");
        configuration.put("stowage.default-store", "local");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (Stores stores = Stores.fromMap(configuration)) {
            for (int i = 0; i < 4; i++) {
                byte[] data = Bytes.random(1 + random.nextInt(512 << 10), random.nextLong());
                objects.put("o" + i, data);
                stores.add("o" + i, new ByteArrayInputStream(data), data.length);
            }
            try (WebServer web = WebServer.serve(datadir)) {
                assertTimeoutPreemptively(BOUND, () -> {
                    List<Future<?>> workers = new ArrayList<>();
                    for (int t = 0; t < 12; t++) {
                        Random own = new Random(seed + t);
                        workers.add(pool.submit(() -> {
                            for (int i = 0; i < Knobs.scaled(25); i++) {
                                String name = "o" + own.nextInt(4);
                                byte[] data = objects.get(name);
                                long offset = own.nextInt(data.length + 1);
                                long length = own.nextInt((int) (data.length - offset) + 1);
                                Location location = stores.location("web", web.uri(name));
                                try (InputStream in = stores.get(location, ByteRange.of(offset, length))) {
                                    assertThat(in.readAllBytes()).isEqualTo(Bytes.slice(data, offset, length));
                                }
                                TALLY.inc(Tally.CASES);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> worker : workers) {
                        worker.get();
                    }
                });
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
