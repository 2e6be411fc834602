package dev.stowage.reliability;

import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM adding to a file store is killed with SIGKILL (no shutdown hook, no finally block runs), mostly while
 * its temp file grows, sometimes at a random moment. Then the store is opened again on the same directory: the temp
 * file must be swept, the killed image must be either absent or complete with the right bytes, it can be added again,
 * and every earlier object keeps its bytes.
 */
@ExtendWith(Recorded.class)
class FileKillTest {
    private static final Tally TALLY = Tally.of("faults-file");

    @TempDir
    Path root;

    @Test
    void sigkillDuringAnAddThenReopen() throws Exception {
        long seed = Knobs.seed(TALLY, "sigkill");
        Random random = new Random(seed);
        Path datadir = root.resolve("data");
        Map<String, String> configuration = FileStores.stowage("local", datadir);
        Map<String, String> kept = new HashMap<>();
        try (Stores stores = Stores.fromMap(configuration)) {
            for (int i = 0; i < 3; i++) {
                byte[] data = Bytes.random(50_000 + i, i);
                stores.add("before-" + i, new ByteArrayInputStream(data), data.length);
                kept.put("before-" + i, Bytes.sha512(data));
            }
        }
        int rounds = Knobs.scaled(4);
        int maxSize = Knobs.heavy() ? 64 << 20 : 6 << 20;
        for (int round = 0; round < rounds; round++) {
            String id = "killed-" + round;
            int size = (2 << 20) + random.nextInt(maxSize - (2 << 20));
            long dataSeed = random.nextLong();
            boolean fsync = random.nextBoolean();
            boolean whileWriting = round % 3 != 2;
            try (ChildJvm child = ChildJvm.start("file-add-" + round, FileAddChild.class, datadir.toString(), id,
                    Integer.toString(size), Long.toString(dataSeed), Boolean.toString(fsync), "3")) {
                child.await("READY"::equals, Duration.ofSeconds(60));
                if (whileWriting) {
                    long threshold = (long) (random.nextDouble() * size * 0.9);
                    awaitTemp(datadir, id, threshold, child);
                } else {
                    Thread.sleep(random.nextInt(800));
                }
                int exit = child.kill();
                assertThat(exit).as("exit code after SIGKILL").isEqualTo(137);
            }
            TALLY.inc("kills");
            TALLY.inc(Tally.FAULTS);
            TALLY.inc(Tally.CASES);
            List<String> tempsBefore = Trees.temps(datadir);
            boolean published = Files.exists(datadir.resolve(id));
            TALLY.inc(published ? "killed-after-publish" : "killed-mid-add");
            if (whileWriting && !published) {
                assertThat(tempsBefore).as("the killed add's temp file").hasSize(1);
            }
            byte[] expected = FileAddChild.expected(size, dataSeed);
            try (Stores stores = Stores.fromMap(configuration)) {
                TALLY.add("temp-files-swept", tempsBefore.size() - Trees.temps(datadir).size());
                assertThat(Trees.temps(datadir)).as("temp files after reopening").isEmpty();
                Location location = stores.location(new URI("file", "", datadir.toRealPath().resolve(id).toString(),
                        null, null));
                if (published) {
                    assertThat(Bytes.sha512(stores.get(location))).as("the object published before the kill")
                            .isEqualTo(Bytes.sha512(expected));
                } else {
                    assertThat(Caught.failure(() -> stores.size(location))).isInstanceOf(ObjectNotFoundException.class);
                    stores.add(id, new ByteArrayInputStream(expected), expected.length);
                }
                kept.put(id, Bytes.sha512(expected));
                Trees.assertExactly(TALLY, datadir, kept);
            }
        }
        assertThat(TALLY.get("killed-mid-add")).as("kills that hit an add in progress").isPositive();
    }

    /** Waits until the temp file of {@code id} holds at least {@code threshold} bytes (or the add has finished). */
    private static void awaitTemp(Path datadir, String id, long threshold, ChildJvm child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(datadir.resolve(id))) {
                return;
            }
            try (Stream<Path> files = Files.list(datadir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(Trees.TEMP_PREFIX + id + "-") && size(file) >= threshold) {
                        return;
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the child never wrote " + threshold + " bytes; output:\n" + child.transcript());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
