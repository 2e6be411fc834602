package dev.stowage.reliability;

import dev.stowage.api.ByteRange;
import dev.stowage.api.ChecksumMismatchException;
import dev.stowage.api.ExpectedContent;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.StoreTimeoutException;
import dev.stowage.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Faults on the HTTP read path: servers that cut bodies (FIN or RST) at random offsets, stall before or during the
 * body, hang up without answering, answer with bytes that are not HTTP, or send one wrong byte; and a real server
 * (Jetty) stopped in the middle of a download. A read either delivers exactly the bytes asked for or fails with a
 * typed error: never a short or silently wrong result. Failover reads with a good second copy deliver the object,
 * verified, except when the bad copy delivered all its bytes and only the hash shows the damage.
 */
@ExtendWith(Recorded.class)
class HttpFaultsTest {
    private static final Tally TALLY = Tally.of("faults-http");
    private static final Duration READ_TIMEOUT = Duration.ofMillis(200);

    @TempDir
    Path root;

    private Map<String, String> configuration(Path datadir) {
        return configuration(datadir, READ_TIMEOUT);
    }

    private Map<String, String> configuration(Path datadir, Duration readTimeout) {
        Map<String, String> configuration = new LinkedHashMap<>(FileStores.stowage("local", datadir));
        configuration.put("stowage.stores.local.fsync", "false");
        configuration.put("stowage.stores.web.type", "http");
        configuration.put("stowage.stores.web.read-timeout", readTimeout.toMillis() + "ms");
        configuration.put("stowage.stores.web.connect-timeout", "2s");
        configuration.put("stowage.default-store", "local");
        return configuration;
    }

    @Test
    void brokenConnectionsNeverGiveShortOrWrongData() throws Exception {
        long seed = Knobs.seed(TALLY, "broken-connections");
        Random random = new Random(seed);
        Path datadir = root.resolve("data");
        int maxSize = Knobs.heavy() ? 8 << 20 : 400_000;
        Map<String, byte[]> objects = new LinkedHashMap<>();
        Map<String, String> kept = new LinkedHashMap<>();
        Map<String, Location> fileCopies = new LinkedHashMap<>();
        List<String> behaviours = new ArrayList<>();
        addWeighted(behaviours, "cut", 30, "reset", 20, "wrong", 12, "garbage", 8, "drop", 8, "stall", 6,
                "stallhead", 4, "ok", 5);
        Map<String, Integer> seen = new LinkedHashMap<>();
        try (Stores stores = Stores.fromMap(configuration(datadir)); BadHttpServer bad = new BadHttpServer()) {
            for (int i = 0; i < 6; i++) {
                byte[] data = Bytes.random(1 + random.nextInt(maxSize), random.nextLong());
                String name = "object-" + i;
                objects.put(name, data);
                kept.put(name, Bytes.sha512(data));
                fileCopies.put(name, stores.add(name, new ByteArrayInputStream(data), data.length).location());
                bad.put(name, data);
            }
            try (WebServer web = WebServer.serve(datadir)) {
                int cases = Knobs.scaled(150);
                for (int i = 0; i < cases; i++) {
                    String name = "object-" + random.nextInt(objects.size());
                    byte[] data = objects.get(name);
                    String behaviour = behaviours.get(random.nextInt(behaviours.size()));
                    long n = behaviour.equals("wrong") ? random.nextInt(data.length)
                            : (long) (random.nextDouble() * (data.length + 1));
                    Location broken = stores.location("web", bad.uri(behaviour, n, name));
                    int mode = behaviour.equals("wrong") ? 1 + random.nextInt(2) : random.nextInt(4);
                    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                        switch (mode) {
                            case 0 -> direct(stores, broken, data, behaviour, random);
                            case 1 -> failover(stores, broken, fileCopies.get(name), data, behaviour);
                            case 2 -> failover(stores, broken, stores.location("web", web.uri(name)), data,
                                    behaviour);
                            default -> size(stores, broken, data, behaviour);
                        }
                    }, () -> "case " + behaviour + " " + n + " " + name + " mode " + mode);
                    seen.merge(behaviour + "/" + mode, 1, Integer::sum);
                    TALLY.inc(Tally.CASES);
                    if (!behaviour.equals("ok")) {
                        TALLY.inc(Tally.FAULTS);
                    }
                }
                TALLY.add("server-requests", bad.requests());
            }
        }
        TALLY.note("broken-connections.cases", seen.toString());
        // the good copies were never touched
        Trees.assertExactly(TALLY, datadir, kept);
    }

    /** A plain range read from the broken server: the exact slice, or a typed error. */
    private static void direct(Stores stores, Location broken, byte[] data, String behaviour, Random random)
            throws IOException {
        long offset = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * data.length);
        ByteRange range = random.nextBoolean() ? ByteRange.from(offset)
                : ByteRange.of(offset, (long) (random.nextDouble() * (data.length - offset)));
        long length = range.toEnd() ? data.length - offset : range.length();
        byte[][] read = new byte[1][];
        Throwable failure = Caught.outcome(() -> {
            try (InputStream in = stores.get(broken, range)) {
                read[0] = in.readAllBytes();
            }
        });
        if (failure == null) {
            assertThat(read[0]).as("%s %s of %s", behaviour, range, broken.uri())
                    .isEqualTo(Bytes.slice(data, offset, length));
            return;
        }
        expectTransportError(failure, broken, behaviour);
    }

    /** A failover read: the broken copy first, a good one second, size and hash checked. */
    private static void failover(Stores stores, Location broken, Location good, byte[] data, String behaviour)
            throws IOException {
        ExpectedContent expected = ExpectedContent.of(data.length,
                new Multihash(HashAlgorithm.SHA512, Bytes.sha512(data)));
        if (behaviour.equals("wrong")) {
            Throwable failure = Caught.failure(() -> Bytes.sha512(stores.open(List.of(broken, good), expected)));
            assertThat(failure).isInstanceOf(ChecksumMismatchException.class)
                    .hasMessageStartingWith("Cannot read image from " + broken.uri());
            return;
        }
        assertThat(Bytes.sha512(stores.open(List.of(broken, good), expected)))
                .as("failover from %s to %s", broken.uri(), good.uri()).isEqualTo(Bytes.sha512(data));
    }

    private static void size(Stores stores, Location broken, byte[] data, String behaviour) {
        long[] size = new long[1];
        Throwable failure = Caught.outcome(() -> size[0] = stores.size(broken));
        if (failure == null) {
            assertThat(behaviour).as("size of %s answered", broken.uri()).isNotIn("stallhead", "drop", "garbage");
            assertThat(size[0]).isEqualTo(data.length);
            return;
        }
        assertThat(behaviour).as("size of %s failed: %s", broken.uri(), failure)
                .isIn("stallhead", "drop", "garbage");
        expectTransportError(failure, broken, behaviour);
    }

    private static void expectTransportError(Throwable failure, Location broken, String behaviour) {
        assertThat(behaviour).as("%s failed with %s", broken.uri(), failure).isNotEqualTo("ok");
        assertThat(failure).as("failure of %s", broken.uri()).isInstanceOfAny(StoreIOException.class,
                StoreTimeoutException.class, ServiceUnavailableException.class);
        assertThat(failure.getMessage()).startsWith("Cannot ").contains(broken.uri().toString());
        if (behaviour.startsWith("stall")) {
            assertThat(failure).isInstanceOf(StoreTimeoutException.class);
        }
        assertThat(((StoreException) failure).retryable()).as("a transport failure is retryable").isTrue();
    }

    private static void addWeighted(List<String> into, Object... nameWeight) {
        for (int i = 0; i < nameWeight.length; i += 2) {
            for (int w = 0; w < (Integer) nameWeight[i + 1]; w++) {
                into.add((String) nameWeight[i]);
            }
        }
    }

    /**
     * A real server goes away in the middle of a download: Jetty serving a file much larger than the socket buffers
     * is stopped after a random part was read. The read must fail with a typed error (never end early as if
     * complete); a failover read then finishes from the file copy; a restarted server serves the whole object again.
     */
    @Test
    void aRealServerStoppedMidDownload() throws Exception {
        long seed = Knobs.seed(TALLY, "server-stopped");
        Random random = new Random(seed);
        Path datadir = root.resolve("big");
        int size = Knobs.heavy() ? 128 << 20 : 32 << 20;
        String sha512;
        Location fileCopy;
        try (Stores stores = Stores.fromMap(configuration(datadir))) {
            byte[] data = Bytes.random(size, seed);
            sha512 = Bytes.sha512(data);
            fileCopy = stores.add("big", new ByteArrayInputStream(data), size).location();
        }
        int port = freePort();
        for (int round = 0; round < Math.min(Knobs.scaled(3), 10); round++) {
            // a freshly started Jetty may take a while to answer its first request: no stall is tested here
            try (Stores stores = Stores.fromMap(configuration(datadir, Duration.ofSeconds(10)))) {
                WebServer web = WebServer.serve(datadir, port);
                Location remote = stores.location("web", web.uri("big"));
                long stopAt = (long) (random.nextDouble() * size * 0.5);
                long[] read = new long[1];
                Throwable failure = Caught.outcome(() -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    try (InputStream in = stores.get(remote, ByteRange.all())) {
                        byte[] buffer = new byte[64 << 10];
                        boolean stopped = false;
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            read[0] += n;
                            if (!stopped && read[0] >= stopAt) {
                                web.close();
                                stopped = true;
                            }
                        }
                    }
                }));
                web.close();
                TALLY.inc(Tally.CASES);
                TALLY.inc(Tally.FAULTS);
                if (failure == null) {
                    // everything was already in flight: then it must be all of it
                    assertThat(read[0]).as("bytes read although the server stopped").isEqualTo(size);
                    TALLY.inc("stopped-server-read-complete");
                } else {
                    assertThat(failure).isInstanceOfAny(StoreIOException.class, StoreTimeoutException.class,
                            ServiceUnavailableException.class);
                    assertThat(failure.getMessage()).startsWith("Cannot read " + remote.uri());
                    assertThat(read[0]).isLessThan(size);
                    TALLY.inc("stopped-server-read-failed");
                }
                // the server is gone: failover to the file copy
                assertThat(Bytes.sha512(stores.open(List.of(remote, fileCopy), ExpectedContent.of(size,
                        new Multihash(HashAlgorithm.SHA512, sha512))))).isEqualTo(sha512);
                if (round == 0) {
                    // and back: a restarted server on the same port serves the whole object
                    try (WebServer again = WebServer.serve(datadir, port)) {
                        assertThat(Bytes.sha512(stores.get(stores.location("web", again.uri("big")))))
                                .isEqualTo(sha512);
                    }
                }
            }
        }
        assertThat(TALLY.get("stopped-server-read-failed")).as("downloads cut by the stopped server").isPositive();
        Trees.assertExactly(TALLY, datadir, Map.of("big", sha512));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
