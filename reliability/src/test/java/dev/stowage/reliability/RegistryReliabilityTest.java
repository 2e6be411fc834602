package dev.stowage.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.api.Stores;
import dev.stowage.samples.registry.Registry;
import dev.stowage.samples.registry.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The registry sample under faults: racing uploads to one image and racing creates of one id, clients hanging up in
 * the middle of an upload body, the registry JVM killed with SIGKILL mid-upload and restarted on the same data
 * directory, and the state a crash between writing the data and committing the record leaves. After each: the
 * database records and the stored data agree (every active image's data exists with its recorded size, MD5 and
 * SHA-512; no stored file without an active record; no temp file), and earlier images are intact.
 */
@ExtendWith(Recorded.class)
class RegistryReliabilityTest {
    private static final Tally TALLY = Tally.of("registry");
    private static final int RACERS = 8;

    @TempDir
    Path root;

    @Test
    void racingUploadsToOneImageHaveOneWinner() throws Exception {
        long seed = Knobs.seed(TALLY, "racing-uploads");
        RegistryRig rig = new RegistryRig(root.resolve("race"), Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        Map<String, String> expected = new LinkedHashMap<>();
        try (Registry registry = rig.start()) {
            int port = registry.port();
            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                for (int round = 0; round < Knobs.scaled(6); round++) {
                    String id = "race-" + round;
                    assertThat(rig.create(port, id).statusCode()).isEqualTo(201);
                    CyclicBarrier start = new CyclicBarrier(RACERS);
                    List<byte[]> data = new ArrayList<>();
                    List<Future<HttpResponse<String>>> responses = new ArrayList<>();
                    for (int t = 0; t < RACERS; t++) {
                        byte[] bytes = Bytes.random(64 * 1024 + new Random(seed + round * 10L + t).nextInt(1 << 20),
                                seed ^ (round * 100L + t));
                        data.add(bytes);
                        responses.add(pool.submit(() -> {
                            start.await(30, TimeUnit.SECONDS);
                            try {
                                return rig.upload(port, id, bytes);
                            } catch (IOException e) {
                                // the registry answered 409 before reading the body and closed the connection
                                // ("Connection: close"); the reset of the unread body can reach the client before
                                // the answer does, and then discards it (TCP): a loser that saw no answer
                                Evidence.exception(e);
                                return null;
                            }
                        }));
                    }
                    int winner = -1;
                    for (int t = 0; t < RACERS; t++) {
                        HttpResponse<String> response = responses.get(t).get(60, TimeUnit.SECONDS);
                        TALLY.inc(Tally.CASES);
                        if (response == null) {
                            TALLY.inc("losers-reset-before-the-answer");
                        } else if (response.statusCode() == 204) {
                            assertThat(winner).as("a second upload of %s succeeded", id).isEqualTo(-1);
                            winner = t;
                        } else {
                            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
                            assertThat(response.body()).contains("Cannot upload image " + id + ": its status is ")
                                    .contains("data can only be uploaded once to a queued image");
                            TALLY.inc("conflicts");
                        }
                    }
                    assertThat(winner).as("uploads of %s that succeeded", id).isNotEqualTo(-1);
                    TALLY.inc(Tally.FAULTS);
                    byte[] won = data.get(winner);
                    assertThat(Bytes.sha512(rig.download(port, id))).isEqualTo(Bytes.sha512(won));
                    JsonNode shown = rig.show(port, id);
                    assertThat(shown.get("status").asText()).isEqualTo("active");
                    assertThat(shown.get("size").asLong()).isEqualTo(won.length);
                    assertThat(shown.get("checksum").asText()).isEqualTo(Bytes.md5(won));
                    assertThat(shown.get("os_hash_value").asText()).isEqualTo(Bytes.sha512(won));
                    expected.put(id, Bytes.sha512(won));
                }
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(rig.checkConsistency(TALLY)).isEqualTo(expected);
    }

    @Test
    void racingCreatesOfOneIdHaveOneWinner() throws Exception {
        RegistryRig rig = new RegistryRig(root.resolve("create-race"), Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try (Registry registry = rig.start()) {
            int port = registry.port();
            assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                for (int round = 0; round < Knobs.scaled(10); round++) {
                    String id = "created-" + round;
                    CyclicBarrier start = new CyclicBarrier(RACERS);
                    List<Future<HttpResponse<String>>> responses = new ArrayList<>();
                    for (int t = 0; t < RACERS; t++) {
                        responses.add(pool.submit(() -> {
                            start.await(30, TimeUnit.SECONDS);
                            return rig.create(port, id);
                        }));
                    }
                    int created = 0;
                    for (Future<HttpResponse<String>> future : responses) {
                        HttpResponse<String> response = future.get(60, TimeUnit.SECONDS);
                        TALLY.inc(Tally.CASES);
                        if (response.statusCode() == 201) {
                            created++;
                        } else {
                            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
                            assertThat(response.body()).contains("An image with id " + id + " already exists");
                            TALLY.inc("conflicts");
                        }
                    }
                    TALLY.inc(Tally.FAULTS);
                    assertThat(created).as("creates of %s that succeeded", id).isEqualTo(1);
                }
            });
        } finally {
            pool.shutdownNow();
        }
        rig.checkConsistency(TALLY);
    }

    /**
     * Clients that declare a body and hang up part-way (FIN or RST): the upload fails, the image is queued again,
     * nothing is left in the store; a complete upload afterwards works.
     */
    @Test
    void clientsHangingUpMidUpload() throws Exception {
        long seed = Knobs.seed(TALLY, "client-hang-up");
        Random random = new Random(seed);
        RegistryRig rig = new RegistryRig(root.resolve("hang-up"), Map.of());
        Map<String, String> expected = new LinkedHashMap<>();
        try (Registry registry = rig.start();
             LogWatch failures = new LogWatch("dev.stowage.samples.registry.ImageService")) {
            int port = registry.port();
            for (int round = 0; round < Knobs.scaled(8); round++) {
                String id = "cut-" + round;
                assertThat(rig.create(port, id).statusCode()).isEqualTo(201);
                byte[] data = Bytes.random(1 + random.nextInt(2 << 20), random.nextLong());
                int sent = random.nextInt(data.length);
                boolean reset = random.nextBoolean();
                RegistryRig.hangUp(port, id, data.length, Bytes.slice(data, 0, sent), reset);
                TALLY.inc(Tally.CASES);
                TALLY.inc(Tally.FAULTS);
                // the server notices on its own thread: wait (bounded) for the upload to have failed
                failures.await(LogWatch.about(id, "upload failed, image queued again"), Duration.ofSeconds(30));
                assertThat(rig.awaitSettled(port, id)).as("status after the client hung up").isEqualTo("queued");
                assertThat(rig.show(port, id).get("locations")).isEmpty();
                assertThat(Trees.files(rig.images())).as("files after a cut upload")
                        .containsExactlyInAnyOrderElementsOf(expected.keySet());
                // and a complete upload now works
                HttpResponse<String> upload = rig.upload(port, id, data);
                assertThat(upload.statusCode()).as(upload.body()).isEqualTo(204);
                assertThat(Bytes.sha512(rig.download(port, id))).isEqualTo(Bytes.sha512(data));
                expected.put(id, Bytes.sha512(data));
            }
        }
        assertThat(rig.checkConsistency(TALLY)).isEqualTo(expected);
    }

    /**
     * The registry JVM is killed with SIGKILL while an upload streams in (its temp file growing), then started again
     * on the same data directory: the image is queued again (no data, no location), no temp file is left, the
     * earlier images download intact, and the image can be uploaded again.
     */
    @Test
    void registryKilledMidUploadThenRestarted() throws Exception {
        long seed = Knobs.seed(TALLY, "registry-sigkill");
        Random random = new Random(seed);
        RegistryRig rig = new RegistryRig(root.resolve("killed"), Map.of());
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, byte[]> kept = new LinkedHashMap<>();
        ChildJvm child = rig.startChild("registry-0");
        try {
            int port = RegistryRig.awaitPort(child);
            for (int i = 0; i < 2; i++) {
                byte[] data = Bytes.random(100_000 + i, i);
                assertThat(rig.create(port, "earlier-" + i).statusCode()).isEqualTo(201);
                assertThat(rig.upload(port, "earlier-" + i, data).statusCode()).isEqualTo(204);
                kept.put("earlier-" + i, data);
            }
            for (int round = 0; round < Knobs.scaled(3); round++) {
                String id = "killed-" + round;
                assertThat(rig.create(port, id).statusCode()).isEqualTo(201);
                int size = (4 << 20) + random.nextInt(8 << 20);
                byte[] data = Bytes.random(size, random.nextLong());
                AtomicBoolean stop = new AtomicBoolean();
                int uploadPort = port;
                Thread uploader = new Thread(() -> slowUpload(uploadPort, id, data, stop), "slow-upload");
                uploader.start();
                long threshold = (long) (random.nextDouble() * size * 0.8);
                awaitTemp(rig.images(), id, threshold, child);
                int exit = child.kill();
                stop.set(true);
                uploader.join(30_000);
                assertThat(exit).isEqualTo(137);
                TALLY.inc("kills");
                TALLY.inc(Tally.FAULTS);
                TALLY.inc(Tally.CASES);
                assertThat(Trees.temps(rig.images())).as("the killed upload's temp file").isNotEmpty();

                child = rig.startChild("registry-" + (round + 1));
                port = RegistryRig.awaitPort(child);
                TALLY.inc("restarts");
                JsonNode shown = rig.show(port, id);
                assertThat(shown.get("status").asText()).as("status after the restart").isEqualTo("queued");
                assertThat(shown.get("locations")).isEmpty();
                assertThat(Trees.temps(rig.images())).as("temp files after the restart").isEmpty();
                assertThat(Trees.files(rig.images())).doesNotContain(id);
                for (Map.Entry<String, byte[]> earlier : kept.entrySet()) {
                    assertThat(Bytes.sha512(rig.download(port, earlier.getKey())))
                            .isEqualTo(Bytes.sha512(earlier.getValue()));
                }
                HttpResponse<String> again = rig.upload(port, id, data);
                assertThat(again.statusCode()).as(again.body()).isEqualTo(204);
                kept.put(id, data);
            }
            assertThat(child.stop()).as("exit code after SIGTERM").isIn(0, 143);
        } finally {
            child.close();
        }
        kept.forEach((id, data) -> expected.put(id, Bytes.sha512(data)));
        assertThat(rig.checkConsistency(TALLY)).isEqualTo(expected);
    }

    private static void slowUpload(int port, String id, byte[] data, AtomicBoolean stop) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/octet-stream\r\nContent-Length: " + data.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int offset = 0; offset < data.length && !stop.get(); offset += 64 << 10) {
                out.write(data, offset, Math.min(64 << 10, data.length - offset));
                out.flush();
                Thread.sleep(3);
            }
        } catch (IOException e) {
            // the registry died under the upload: expected
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTemp(Path images, String id, long threshold, ChildJvm child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(images)) {
                try (var files = Files.list(images)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        if (file.getFileName().toString().startsWith(Trees.TEMP_PREFIX + id + "-")
                                && sizeOf(file) >= threshold) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the upload of " + id + " never reached " + threshold + " bytes; registry output:\n"
                + child.transcript());
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The one moment a kill cannot be aimed at reliably: after the store published the data and before the record
     * says so (the database commit). The state such a crash leaves is made directly: the image's data is in the
     * store, complete, and its record still says saving. After a restart the registry must not keep data without a
     * record, and the image must be uploadable again.
     */
    @Test
    void crashBetweenDataAndRecordIsRepairedOnRestart() throws Exception {
        RegistryRig rig = new RegistryRig(root.resolve("window"), Map.of());
        byte[] data = Bytes.random(300_000, 7);
        byte[] kept = Bytes.random(200_000, 8);
        try (Registry registry = rig.start()) {
            assertThat(rig.create(registry.port(), "kept").statusCode()).isEqualTo(201);
            assertThat(rig.upload(registry.port(), "kept", kept).statusCode()).isEqualTo(204);
            assertThat(rig.create(registry.port(), "window").statusCode()).isEqualTo(201);
        }
        // what the cut-off upload did: the data went into the store (as the registry writes it), the record is saving
        try (Stores stores = Stores.fromProperties(RegistrySettings.load(rig.settings, rig.dataDir).stowage())) {
            stores.add("window", new ByteArrayInputStream(data), data.length);
        }
        rig.setStatus("window", "SAVING");
        TALLY.inc(Tally.FAULTS);
        TALLY.inc(Tally.CASES);
        try (LogWatch repairs = new LogWatch("dev.stowage.samples.registry.ImageService");
             Registry registry = rig.start()) {
            TALLY.inc("restarts");
            repairs.await(LogWatch.about("window", "written by an upload cut off by a restart"),
                    Duration.ofSeconds(5));
            int port = registry.port();
            assertThat(rig.show(port, "window").get("status").asText()).isEqualTo("queued");
            assertThat(Trees.files(rig.images())).as("store files after the repair").containsExactly("kept");
            HttpResponse<String> again = rig.upload(port, "window", data);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(204);
            assertThat(Bytes.sha512(rig.download(port, "kept"))).isEqualTo(Bytes.sha512(kept));
        }
        assertThat(rig.checkConsistency(TALLY)).isEqualTo(Map.of("kept", Bytes.sha512(kept), "window",
                Bytes.sha512(data)));
    }
}
