package dev.stowage.reliability;

import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.StoreTimeoutException;
import dev.stowage.api.Stores;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Faults on the S3 store against S3Proxy embedded: the caller's stream failing at random offsets or ending short or
 * long, on each of the three write paths (one buffered PUT, one streamed PUT, multipart); the server stopped in the
 * middle of a multipart upload and in the middle of a download, then started again on the same data; racing adds of
 * one id. Afterwards: no multipart upload in progress (ListMultipartUploads through the raw SDK), no object but the
 * ones added, every earlier object intact (SHA-512 read back).
 */
@ExtendWith(Recorded.class)
class S3FaultsTest {
    private static final Tally TALLY = Tally.of("faults-s3");
    private static final int MIB = 1 << 20;

    @TempDir
    static Path root;

    private static S3Server server;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = new S3Server(root.resolve("s3"), Evidence.secret("s3-secret-key"));
    }

    @AfterEach
    void serverRunsAgain() throws Exception {
        server.ensureStarted();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A fresh bucket and a Stores with one S3 store on it: 5 MiB parts, multipart from 8 MiB, 2 parts at once. */
    private static Stores stores(String bucket) {
        server.createBucket(bucket);
        Map<String, String> configuration = server.stowage("s3", bucket, "part-size", "5MiB",
                "large-object-threshold", "8MiB", "upload-concurrency", "2", "socket-timeout", "5s",
                "connect-timeout", "1s");
        return Stores.fromMap(configuration);
    }

    private static String bucket() {
        return "reliability-" + BUCKETS.incrementAndGet();
    }

    /** No upload in progress, exactly the kept keys, each with its bytes. */
    private static void checkBucket(Stores stores, String bucket, Map<String, byte[]> kept) throws IOException {
        List<String> uploads = server.uploads(bucket);
        List<String> keys = new ArrayList<>(server.keys(bucket));
        List<String> extra = new ArrayList<>(keys);
        extra.removeAll(kept.keySet());
        TALLY.add(Tally.ORPHANS, uploads.size() + extra.size());
        assertThat(uploads).as("multipart uploads in progress in %s", bucket).isEmpty();
        assertThat(extra).as("objects in %s that no add produced", bucket).isEmpty();
        assertThat(keys).containsExactlyInAnyOrderElementsOf(kept.keySet());
        for (Map.Entry<String, byte[]> object : kept.entrySet()) {
            Location location = stores.location("s3", java.net.URI.create("s3://" + bucket + "/" + object.getKey()));
            assertThat(Bytes.sha512(stores.get(location))).as("bytes of %s", object.getKey())
                    .isEqualTo(Bytes.sha512(object.getValue()));
        }
    }

    @Test
    void streamsFailingOnEveryWritePath() throws Exception {
        long seed = Knobs.seed(TALLY, "stream-faults");
        Random random = new Random(seed);
        String bucket = bucket();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        try (Stores stores = stores(bucket)) {
            byte[] earlier = Bytes.random(3 * MIB, seed);
            stores.add("earlier", new ByteArrayInputStream(earlier), earlier.length);
            kept.put("earlier", earlier);
            for (int round = 0; round < Knobs.scaled(12); round++) {
                // one buffered PUT (at most one part), one streamed PUT (known, under the threshold), multipart
                int path = round % 3;
                int size = switch (path) {
                    case 0 -> 1 + random.nextInt(5 * MIB);
                    case 1 -> 5 * MIB + 1 + random.nextInt(3 * MIB - 1);
                    default -> 10 * MIB + random.nextInt(8 * MIB);
                };
                byte[] data = Bytes.random(size, random.nextLong());
                String id = "fault-" + round;
                int kind = random.nextInt(3);
                long at = (long) (random.nextDouble() * size);
                InputStream input;
                long declared;
                if (kind == 0) {
                    input = Bytes.failingAt(data, at);
                    declared = random.nextBoolean() || path == 1 ? size : Store.UNKNOWN_SIZE;
                } else {
                    input = new ByteArrayInputStream(data);
                    declared = kind == 1 ? size + 1 + random.nextInt(1000) : Math.max(0, at - 1);
                }
                long declared0 = declared;
                Throwable failure = Caught.failure(() -> assertTimeoutPreemptively(Duration.ofMinutes(2),
                        () -> stores.add(id, input, declared0)));
                TALLY.inc(Tally.CASES);
                TALLY.inc(Tally.FAULTS);
                TALLY.inc("write-path-" + path);
                if (kind == 0) {
                    assertThat(failure).isInstanceOf(StoreIOException.class)
                            .hasMessageStartingWith("Cannot add s3://" + bucket + "/" + id + ": ");
                } else {
                    assertThat(failure).isInstanceOf(SizeMismatchException.class)
                            .hasMessageStartingWith("Cannot add ");
                }
                assertThat(stores.store("s3").find(id)).as("object %s after a failed add", id).isEmpty();
                checkBucket(stores, bucket, kept);
            }
        }
    }

    /**
     * The server is stopped while a multipart add of unknown size streams in (parts already stored) and started
     * again once the add has failed. The add fails with a retryable typed error; once the server is back nothing of
     * the add may remain: no object and no multipart upload in progress.
     */
    @Test
    void serverStoppedMidUpload() throws Exception {
        long seed = Knobs.seed(TALLY, "stopped-mid-upload");
        Random random = new Random(seed);
        String bucket = bucket();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try (Stores stores = stores(bucket)) {
            byte[] earlier = Bytes.random(2 * MIB, seed);
            stores.add("earlier", new ByteArrayInputStream(earlier), earlier.length);
            kept.put("earlier", earlier);
            for (int round = 0; round < Knobs.scaled(2); round++) {
                String id = "cut-" + round;
                byte[] data = Bytes.random(24 * MIB, random.nextLong());
                long stopAt = 11 * MIB + random.nextInt(8 * MIB);
                Future<?>[] stopping = new Future<?>[1];
                InputStream input = new ByteArrayInputStream(data) {
                    @Override
                    public synchronized int read(byte[] buffer, int offset, int length) {
                        if (stopping[0] == null && pos >= stopAt) {
                            stopping[0] = stopper.submit(() -> {
                                server.stop();
                                return null;
                            });
                        }
                        return super.read(buffer, offset, Math.min(length, 64 << 10));
                    }
                };
                Throwable failure = Caught.failure(() -> assertTimeoutPreemptively(Duration.ofMinutes(3),
                        () -> stores.add(id, input, Store.UNKNOWN_SIZE)));
                stopping[0].get(60, TimeUnit.SECONDS);
                TALLY.inc(Tally.CASES);
                TALLY.inc(Tally.FAULTS);
                assertThat(failure).isInstanceOfAny(ServiceUnavailableException.class, StoreIOException.class,
                        StoreTimeoutException.class);
                assertThat(failure.getMessage()).startsWith("Cannot add s3://" + bucket + "/" + id + ": ");
                server.start();
                // the abort failed while the server was down; the store tries again in the background
                boolean leftOpen = !server.uploads(bucket).isEmpty();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!server.uploads(bucket).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                TALLY.inc(leftOpen ? "aborts-retried-after-restart" : "aborts-immediate");
                checkBucket(stores, bucket, kept);
            }
        } finally {
            stopper.shutdownNow();
        }
    }

    /**
     * The server is stopped while an object is being read; the read fails with a typed error (or, when everything
     * was already in flight, delivers all of it), never ends early as if complete. Started again, the server serves
     * the object intact.
     */
    @Test
    void serverStoppedMidDownload() throws Exception {
        long seed = Knobs.seed(TALLY, "stopped-mid-download");
        Random random = new Random(seed);
        String bucket = bucket();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        try (Stores stores = stores(bucket)) {
            byte[] data = Bytes.random(32 * MIB, seed);
            Location location = stores.add("big", new ByteArrayInputStream(data), data.length).location();
            kept.put("big", data);
            for (int round = 0; round < Knobs.scaled(2); round++) {
                long stopAt = (long) (random.nextDouble() * data.length * 0.5);
                ByteRange range = round % 2 == 0 ? ByteRange.all() : ByteRange.from(random.nextInt(MIB));
                long[] read = new long[1];
                Throwable failure = Caught.outcome(() -> assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                    try (InputStream in = stores.get(location, range)) {
                        byte[] buffer = new byte[64 << 10];
                        boolean stopped = false;
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            read[0] += n;
                            if (!stopped && read[0] >= stopAt) {
                                server.stop();
                                stopped = true;
                            }
                        }
                    }
                }));
                TALLY.inc(Tally.CASES);
                TALLY.inc(Tally.FAULTS);
                long expected = data.length - range.offset();
                if (failure == null) {
                    assertThat(read[0]).as("bytes read although the server stopped").isEqualTo(expected);
                    TALLY.inc("stopped-download-complete");
                } else {
                    assertThat(failure).isInstanceOfAny(StoreIOException.class, StoreTimeoutException.class,
                            ServiceUnavailableException.class);
                    assertThat(failure.getMessage()).startsWith("Cannot read s3://" + bucket + "/big");
                    assertThat(read[0]).isLessThan(expected);
                    TALLY.inc("stopped-download-failed");
                }
                server.start();
                checkBucket(stores, bucket, kept);
            }
        }
        assertThat(TALLY.get("stopped-download-failed")).as("downloads cut by the stopped server").isPositive();
    }

    /** 8 threads add one id at once, with different data: one winner, the others a duplicate error. */
    @Test
    void racingAddsOfOneId() throws Exception {
        long seed = Knobs.seed(TALLY, "racing-adds");
        String bucket = bucket();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Stores stores = stores(bucket)) {
            assertThat(stores.store("s3").capabilities()).contains(dev.stowage.api.Capability.ATOMIC_CREATE);
            for (int round = 0; round < Knobs.scaled(4); round++) {
                String id = "race-" + round;
                CyclicBarrier start = new CyclicBarrier(8);
                List<byte[]> data = new ArrayList<>();
                List<Future<Object>> outcomes = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    // some single PUTs, some multipart
                    byte[] bytes = Bytes.random(t % 2 == 0 ? 100_000 + t : 9 * MIB + t, seed ^ (round * 10L + t));
                    data.add(bytes);
                    outcomes.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        try {
                            return stores.add(id, new ByteArrayInputStream(bytes), bytes.length);
                        } catch (DuplicateObjectException e) {
                            Evidence.exception(e);
                            return e;
                        }
                    }));
                }
                int winner = -1;
                for (int t = 0; t < 8; t++) {
                    Object outcome = outcomes.get(t).get(2, TimeUnit.MINUTES);
                    TALLY.inc(Tally.CASES);
                    if (outcome instanceof AddResult) {
                        assertThat(winner).as("a second winner of %s", id).isEqualTo(-1);
                        winner = t;
                    } else {
                        TALLY.inc("losers");
                    }
                }
                assertThat(winner).isNotEqualTo(-1);
                TALLY.inc(Tally.FAULTS);
                kept.put(id, data.get(winner));
                checkBucket(stores, bucket, kept);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Caught.failure(() -> {
            try (Stores stores = stores(bucket())) {
                stores.size(stores.location("s3", java.net.URI.create("s3://" + bucket + "/none")));
            }
        })).isInstanceOfAny(ObjectNotFoundException.class, dev.stowage.api.InvalidLocationException.class);
    }
}
