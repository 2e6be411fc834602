package dev.stowage.api;

import dev.stowage.spi.HashingInputStream;
import dev.stowage.testing.FaultyStoreDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failover reads: {@link Stores#open} across locations, resuming at the delivered offset. */
class StoresFailoverTest {
    private static final int MIB = 1024 * 1024;
    private static final String ID = "img";

    private final String nsDead = TestData.namespace("dead");
    private final String nsDying = TestData.namespace("dying");
    private final String nsGood = TestData.namespace("good");
    private final String nsNoRange = TestData.namespace("norange");
    private final Map<String, String> config = new HashMap<>();
    private Stores stores;

    private Stores stores(String... extra) {
        config.put("stowage.stores.dead.type", "faulty");
        config.put("stowage.stores.dead.namespace", nsDead);
        config.put("stowage.stores.dead.dead", "true");
        config.put("stowage.stores.dying.type", "faulty");
        config.put("stowage.stores.dying.namespace", nsDying);
        config.put("stowage.stores.dying.die-after", "1MiB");
        config.put("stowage.stores.good.type", "memory");
        config.put("stowage.stores.good.namespace", nsGood);
        config.put("stowage.stores.norange.type", "faulty");
        config.put("stowage.stores.norange.namespace", nsNoRange);
        config.put("stowage.stores.norange.range-read", "false");
        config.put("stowage.default-store", "good");
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        stores = Stores.builder().driver(new FaultyStoreDriver()).strategy(new TestProviders.ReverseStrategy())
                .configuration(config).build();
        return stores;
    }

    @AfterEach
    void tearDown() {
        if (stores != null) {
            stores.close();
        }
    }

    /** Puts the same bytes in every namespace. */
    private void putEverywhere(byte[] data) {
        for (String ns : List.of(nsDead, nsDying, nsGood, nsNoRange)) {
            TestData.put(ns, ID, data);
        }
    }

    private Location at(String store) {
        String ns = switch (store) {
            case "dead" -> nsDead;
            case "dying" -> nsDying;
            case "good" -> nsGood;
            case "norange" -> nsNoRange;
            default -> throw new IllegalArgumentException(store);
        };
        String scheme = store.equals("good") ? "memory" : "faulty";
        return Location.of(URI.create(scheme + "://" + ns + "/" + ID), store, Map.of());
    }

    private static Multihash sha512(byte[] data) {
        try (HashingInputStream hashing = new HashingInputStream(new ByteArrayInputStream(data),
                HashAlgorithm.SHA512)) {
            hashing.transferTo(java.io.OutputStream.nullOutputStream());
            return hashing.multihash();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records every call as text. */
    private static final class RecordingListener implements ReadListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void started(ReadAttempt attempt) {
            events.add("started " + attempt.number() + " " + attempt.location().store() + " @" + attempt.offset());
        }

        @Override
        public void failed(ReadAttempt attempt, long reached, StoreException error) {
            events.add("failed " + attempt.number() + " " + attempt.location().store() + " @" + reached + " ["
                    + error.errorCode().code() + "]");
        }

        @Override
        public void succeeded(ReadAttempt attempt, long end) {
            events.add("succeeded " + attempt.number() + " " + attempt.location().store() + " @" + end);
        }
    }

    @Test
    void firstDeadSecondDyingAfterOneMebibyteThirdGood() {
        byte[] data = TestData.bytes(3 * MIB + 12345, 21);
        putEverywhere(data);
        stores();
        RecordingListener listener = new RecordingListener();
        byte[] read;
        try (LogCapture log = new LogCapture()) {
            try (InputStream in = stores.open(List.of(at("dead"), at("dying"), at("good")),
                    ExpectedContent.of(data.length, sha512(data)), listener)) {
                read = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThat(read).isEqualTo(data);
            assertThat(listener.events).containsExactly(
                    "started 1 dead @0", "failed 1 dead @0 [service-unavailable]",
                    "started 2 dying @0", "failed 2 dying @1048576 [io-error]",
                    "started 3 good @1048576", "succeeded 3 good @" + data.length);
            assertThat(log.lines(Level.WARNING))
                    .anySatisfy(line -> assertThat(line).contains("Read attempt 1 of 3 failed at faulty://" + nsDead
                            + "/img (store dead) (started at offset 0, reached 0): [service-unavailable]"))
                    .anySatisfy(line -> assertThat(line).contains("Read attempt 2 of 3 failed at faulty://" + nsDying
                            + "/img (store dying) (started at offset 0, reached 1048576): [io-error]"));
            assertThat(log.lines(Level.INFO))
                    .anySatisfy(line -> assertThat(line).contains("Resuming image read at offset 1048576 from "
                            + "memory://" + nsGood + "/img (store good) (attempt 3 of 3)"))
                    .anySatisfy(line -> assertThat(line).contains("Read image from memory://" + nsGood
                            + "/img (store good): " + data.length + " bytes in 3 attempts"));
        }
    }

    @Test
    void theResumedReadIsARangeRead() {
        byte[] data = TestData.bytes(2 * MIB, 22);
        putEverywhere(data);
        stores("stowage.stores.second.type", "faulty", "stowage.stores.second.namespace", nsGood);
        Location second = Location.of(URI.create("faulty://" + nsGood + "/" + ID), "second", Map.of());
        try (InputStream in = stores.open(List.of(at("dying"), second))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FaultyStoreDriver.FaultyStore dying = (FaultyStoreDriver.FaultyStore) stores.store("dying");
        FaultyStoreDriver.FaultyStore resumed = (FaultyStoreDriver.FaultyStore) stores.store("second");
        assertThat(dying.gets()).containsExactly(ByteRange.all());
        assertThat(resumed.gets()).containsExactly(ByteRange.from(MIB));
    }

    @Test
    void aStoreWithoutRangeReadsServesOnlyFromOffsetZero() {
        byte[] data = TestData.bytes(2 * MIB, 23);
        putEverywhere(data);
        stores();
        RecordingListener listener = new RecordingListener();
        try (InputStream in = stores.open(List.of(at("dying"), at("norange"), at("good")), listener)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(listener.events).containsExactly(
                "started 1 dying @0", "failed 1 dying @1048576 [io-error]",
                "started 2 norange @1048576", "failed 2 norange @1048576 [unsupported-operation]",
                "started 3 good @1048576", "succeeded 3 good @" + data.length);
        assertThat(((FaultyStoreDriver.FaultyStore) stores.store("norange")).gets()).isEmpty();
        // from offset 0 the same store is fine
        RecordingListener second = new RecordingListener();
        try (InputStream in = stores.open(List.of(at("dead"), at("norange")), second)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(second.events).containsExactly("started 1 dead @0", "failed 1 dead @0 [service-unavailable]",
                "started 2 norange @0", "succeeded 2 norange @" + data.length);
    }

    @Test
    void whenEveryLocationFailsTheErrorListsEachOne() {
        byte[] data = TestData.bytes(1000, 24);
        putEverywhere(data);
        stores();
        Location missing = Location.of(URI.create("memory://" + nsGood + "/nothing-here"), "good", Map.of());
        Location unconfigured = Location.of(URI.create("memory://x/img"), "gone", Map.of());
        assertThatThrownBy(() -> stores.open(List.of(at("dead"), missing, unconfigured)))
                .isInstanceOf(AllLocationsFailedException.class)
                .hasMessage("Cannot read image from any of 3 locations:"
                        + "\n  - faulty://" + nsDead + "/img [service-unavailable] Cannot read faulty://" + nsDead
                        + "/img: the backend is down (injected)"
                        + "\n  - memory://" + nsGood + "/nothing-here [not-found] Cannot read memory://" + nsGood
                        + "/nothing-here: no such object"
                        + "\n  - memory://x/img [unknown-store] Cannot read memory://x/img: it names store 'gone', "
                        + "which is not configured (did you mean 'good'?); configured stores: dead, dying, good, "
                        + "norange")
                .satisfies(e -> {
                    AllLocationsFailedException all = (AllLocationsFailedException) e;
                    assertThat(all.failures()).extracting(failure -> failure.location().store())
                            .containsExactly("dead", "good", "gone");
                    assertThat(all.getSuppressed()).hasSize(3);
                });
        assertThatThrownBy(() -> stores.open(List.of()))
                .isInstanceOf(AllLocationsFailedException.class)
                .hasMessage("Cannot read image: no locations given");
    }

    @Test
    void whenTheLastLocationDiesDuringTheReadTheReadFails() throws IOException {
        byte[] data = TestData.bytes(3 * MIB, 25);
        putEverywhere(data);
        stores();
        InputStream in = stores.open(List.of(at("dying"), at("dying")));
        byte[] buffer = new byte[64 * 1024];
        long delivered = 0;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                delivered += n;
            }
            throw new AssertionError("the read should have failed");
        } catch (AllLocationsFailedException e) {
            assertThat(e.failures()).hasSize(2);
            assertThat(e.getMessage()).startsWith("Cannot read image from any of 2 locations:");
        }
        // the second attempt resumed at 1 MiB and died after another 1 MiB
        assertThat(delivered).isEqualTo(2L * MIB);
        assertThatThrownBy(in::read).isInstanceOf(AllLocationsFailedException.class);
        in.close();
        in.close();
        assertThatThrownBy(in::read).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot read image from ").hasMessageEndingWith(": the stream is closed");
    }

    @Test
    void aWrongMultihashFailsAtTheEnd() throws IOException {
        byte[] data = TestData.bytes(300_000, 26);
        putEverywhere(data);
        stores();
        Multihash wrong = sha512(new byte[]{1});
        try (InputStream in = stores.open(List.of(at("good")), data.length, wrong)) {
            byte[] head = in.readNBytes(data.length);
            assertThat(head).isEqualTo(data);
            assertThatThrownBy(in::read)
                    .isInstanceOf(ChecksumMismatchException.class)
                    .hasMessage("Cannot read image from memory://" + nsGood + "/img: multihash mismatch: expected "
                            + wrong + ", got " + sha512(data));
            assertThatThrownBy(in::read).isInstanceOf(ChecksumMismatchException.class);
        }
    }

    @Test
    void theMultihashIsCheckedAcrossResumedCopies() {
        byte[] data = TestData.bytes(2 * MIB, 27);
        putEverywhere(data);
        byte[] corrupt = data.clone();
        corrupt[corrupt.length - 1] ^= 1;
        TestData.put(nsGood, ID, corrupt);
        stores();
        assertThatThrownBy(() -> {
            try (InputStream in = stores.open(List.of(at("dying"), at("good")), ExpectedContent.of(data.length,
                    sha512(data)))) {
                in.readAllBytes();
            }
        })
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageStartingWith("Cannot read image from faulty://" + nsDying + "/img, memory://" + nsGood
                        + "/img: multihash mismatch: expected " + sha512(data) + ", got ");
    }

    @Test
    void aCopyThatIsTooShortFailsOverAndOneThatIsTooLongIsCut() {
        byte[] data = TestData.bytes(500_000, 28);
        putEverywhere(data);
        TestData.put(nsDead, ID, java.util.Arrays.copyOf(data, 400_000)); // short
        byte[] longer = java.util.Arrays.copyOf(data, 600_000);
        TestData.put(nsDying, ID, longer);
        stores("stowage.stores.dead.dead", "false", "stowage.stores.dying.die-after", "100MiB");
        RecordingListener listener = new RecordingListener();
        try (InputStream in = stores.open(List.of(at("dead"), at("dying"), at("good")),
                ExpectedContent.of(data.length, sha512(data)), listener)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // dead (short) fails when it ends early, dying (long) is cut at the expected size, good confirms the end
        assertThat(listener.events).containsExactly(
                "started 1 dead @0", "failed 1 dead @400000 [size-mismatch]",
                "started 2 dying @400000", "failed 2 dying @500000 [size-mismatch]",
                "started 3 good @500000", "succeeded 3 good @500000");
    }

    @Test
    void whenEveryCopyHasTheWrongSizeTheReadFailsWithASizeMismatch() {
        byte[] data = TestData.bytes(100_000, 29);
        putEverywhere(data);
        stores();
        assertThatThrownBy(() -> {
            try (InputStream in = stores.open(List.of(at("good")), ExpectedContent.ofSize(data.length + 10))) {
                in.readAllBytes();
            }
        })
                .isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot read image from memory://" + nsGood + "/img: no location delivered the expected "
                        + (data.length + 10) + " bytes (" + data.length + " bytes delivered); last: Cannot read "
                        + "memory://" + nsGood + "/img: the copy ended after " + data.length + " of the expected "
                        + (data.length + 10) + " bytes")
                .cause().isInstanceOf(AllLocationsFailedException.class);
    }

    @Test
    void locationsAreTriedInStrategyOrder() throws IOException {
        byte[] data = TestData.bytes(1000, 30);
        putEverywhere(data);
        stores("stowage.location-strategy", "reverse");
        RecordingListener listener = new RecordingListener();
        try (InputStream in = stores.open(List.of(at("dead"), at("good")), listener)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(listener.events).containsExactly("started 1 good @0", "succeeded 1 good @1000");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheRead() throws IOException {
        byte[] data = TestData.bytes(2 * MIB, 31);
        putEverywhere(data);
        stores();
        ReadListener rude = new ReadListener() {
            @Override
            public void failed(ReadAttempt attempt, long reached, StoreException error) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (LogCapture log = new LogCapture();
             InputStream in = stores.open(List.of(at("dying"), at("good")), rude)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(log.lines(Level.WARNING)).anySatisfy(line -> assertThat(line)
                    .contains("threw, ignored: IllegalStateException: listener bug"));
        }
    }

    @Test
    void unboundLocationsAreReadThroughTheStoreOfTheirScheme() throws IOException {
        byte[] data = TestData.bytes(1000, 32);
        TestData.put(nsGood, ID, data);
        stores();
        Location unbound = Location.of(URI.create("memory://" + nsGood + "/" + ID));
        try (InputStream in = stores.open(List.of(unbound))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void singleBytesSkipsAndAvailableWork() throws IOException {
        byte[] data = TestData.bytes(5000, 33);
        putEverywhere(data);
        stores("stowage.stores.dying.die-after", "1000");
        try (InputStream in = stores.open(List.of(at("dying"), at("good")), ExpectedContent.of(data.length,
                sha512(data)))) {
            assertThat(in.read()).isEqualTo(data[0] & 0xff);
            assertThat(in.skip(998)).isEqualTo(998);
            assertThat(in.available()).isEqualTo(1); // the dying copy has one byte left
            assertThat(in.read()).isEqualTo(data[999] & 0xff);
            assertThat(in.read()).isEqualTo(data[1000] & 0xff); // from the second location
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1001, data.length));
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[0])).isZero();
        }
    }
}
