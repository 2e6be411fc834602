package dev.stowage.api;

import dev.stowage.testing.FaultyStoreDriver;
import dev.stowage.testing.InMemoryStoreDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fan-out adds: one pass over the input, bounded pipes, all-must-succeed and best-effort semantics. */
@Timeout(60)
class StoresFanOutTest {
    private final String nsA = TestData.namespace("fan-a");
    private final String nsB = TestData.namespace("fan-b");
    private final String nsC = TestData.namespace("fan-c");
    private final Map<String, String> config = new HashMap<>();
    private Stores stores;

    private Stores stores(String... extra) {
        config.put("stowage.stores.a.type", "memory");
        config.put("stowage.stores.a.namespace", nsA);
        config.put("stowage.stores.b.type", "memory");
        config.put("stowage.stores.b.namespace", nsB);
        config.put("stowage.stores.c.type", "memory");
        config.put("stowage.stores.c.namespace", nsC);
        config.put("stowage.default-store", "a");
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        stores = Stores.builder().driver(new FaultyStoreDriver()).configuration(config).build();
        return stores;
    }

    @AfterEach
    void tearDown() {
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void threeStoresReadTheInputOnce() {
        byte[] data = TestData.bytes(1_000_000, 3);
        CountingInputStream input = new CountingInputStream(new ByteArrayInputStream(data));
        FanOutResult result = stores().addAll(List.of("a", "b", "c"), "img-1", input, data.length,
                FanOutMode.ALL_MUST_SUCCEED);

        assertThat(input.count()).isEqualTo(data.length);
        assertThat(input.skipsAndResets()).isZero();
        assertThat(result.allSucceeded()).isTrue();
        assertThat(result.added()).containsOnlyKeys("a", "b", "c");
        assertThat(result.failed()).isEmpty();
        assertThat(result.locations()).extracting(Location::store).containsExactly("a", "b", "c");
        assertThat(result.added().values()).allSatisfy(added -> {
            assertThat(added.bytesWritten()).isEqualTo(data.length);
            assertThat(added.md5()).isEqualTo(result.added().get("a").md5());
            assertThat(added.multihash()).isEqualTo(result.added().get("a").multihash());
        });
        for (String ns : List.of(nsA, nsB, nsC)) {
            assertThat(InMemoryStoreDriver.objects(ns).get("img-1")).isEqualTo(data);
        }
        assertThat(result).hasToString("FanOutResult[img-1: added [a, b, c]]");
    }

    @Test
    void underAllMustSucceedAFailingThirdStoreLeavesNoCopyInTheOthers() {
        byte[] data = TestData.bytes(2_000_000, 4);
        CountingInputStream input = new CountingInputStream(new ByteArrayInputStream(data));
        stores("stowage.stores.c.fail-adds-after", "300000");

        assertThatThrownBy(() -> stores.addAll(List.of("a", "b", "c"), "img-2", input, data.length,
                FanOutMode.ALL_MUST_SUCCEED))
                .isInstanceOf(AddFailedException.class)
                .hasMessage("Cannot add image img-2: failed in 1 store\n  - c [io-error] Cannot add memory://" + nsC
                        + "/img-2: injected failure after 300000 bytes")
                .satisfies(e -> assertThat(((AddFailedException) e).failures()).containsOnlyKeys("c"));

        assertThat(InMemoryStoreDriver.objects(nsA)).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsB)).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsC)).isEmpty();
        assertThat(input.count()).isLessThanOrEqualTo(data.length);
    }

    @Test
    void allMustSucceedRemovesCopiesThatFinishedBeforeTheFailureWasKnown() {
        // b is a duplicate: it fails at once, before a has finished; a's copy must still be removed
        byte[] data = TestData.bytes(300_000, 5);
        byte[] existing = {42};
        TestData.put(nsB, "img-3", existing);
        stores();
        assertThatThrownBy(() -> stores.addAll(List.of("a", "b"), "img-3", new ByteArrayInputStream(data),
                data.length, FanOutMode.ALL_MUST_SUCCEED))
                .isInstanceOf(AddFailedException.class)
                .hasMessage("Cannot add image img-3: failed in 1 store\n  - b [duplicate] Cannot add memory://" + nsB
                        + "/img-3: the object already exists")
                .cause().isInstanceOf(DuplicateObjectException.class);
        assertThat(InMemoryStoreDriver.objects(nsA)).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsB).get("img-3")).isSameAs(existing);
    }

    @Test
    void bestEffortKeepsTheCopiesThatSucceededAndSaysWhichFailed() {
        byte[] data = TestData.bytes(1_500_000, 6);
        CountingInputStream input = new CountingInputStream(new ByteArrayInputStream(data));
        stores("stowage.stores.c.fail-adds-after", "0");
        FanOutResult result = stores.addAll(List.of("a", "b", "c"), "img-4", input, data.length,
                FanOutMode.BEST_EFFORT);

        assertThat(input.count()).isEqualTo(data.length);
        assertThat(result.allSucceeded()).isFalse();
        assertThat(result.added()).containsOnlyKeys("a", "b");
        assertThat(result.failed()).containsOnlyKeys("c");
        assertThat(result.failure("c")).get().isInstanceOf(StoreIOException.class)
                .extracting(Throwable::getMessage)
                .isEqualTo("Cannot add memory://" + nsC + "/img-4: injected failure after 0 bytes");
        assertThat(result.result("a")).get().extracting(AddResult::bytesWritten).isEqualTo((long) data.length);
        assertThat(result.result("c")).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsA).get("img-4")).isEqualTo(data);
        assertThat(InMemoryStoreDriver.objects(nsB).get("img-4")).isEqualTo(data);
        assertThat(InMemoryStoreDriver.objects(nsC)).isEmpty();
        assertThat(result).hasToString("FanOutResult[img-4: added [a, b], failed c [io-error]]");
    }

    @Test
    void bestEffortFailsWhenEveryStoreFails() {
        byte[] data = TestData.bytes(10_000, 7);
        stores("stowage.stores.a.fail-adds-after", "10", "stowage.stores.b.fail-adds-after", "20");
        assertThatThrownBy(() -> stores.addAll(List.of("a", "b"), "img-5", new ByteArrayInputStream(data),
                data.length, FanOutMode.BEST_EFFORT))
                .isInstanceOf(AddFailedException.class)
                .hasMessage("Cannot add image img-5: failed in 2 stores"
                        + "\n  - a [io-error] Cannot add memory://" + nsA + "/img-5: injected failure after 10 bytes"
                        + "\n  - b [io-error] Cannot add memory://" + nsB + "/img-5: injected failure after 20 bytes");
    }

    @Test
    void aFailingInputFailsEveryStoreAndLeavesNothing() {
        InputStream failing = new InputStream() {
            private int delivered;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (delivered >= 200_000) {
                    throw new IOException("client went away");
                }
                int n = Math.min(length, 1000);
                delivered += n;
                return n;
            }
        };
        stores();
        for (FanOutMode mode : FanOutMode.values()) {
            assertThatThrownBy(() -> stores.addAll(List.of("a", "b", "c"), "img-6-" + mode.ordinal(), failing,
                    Stores.UNKNOWN_SIZE, mode))
                    .isInstanceOf(AddFailedException.class)
                    .hasMessageStartingWith("Cannot add image img-6-" + mode.ordinal() + ": failed in 3 stores")
                    .hasMessageContaining("Cannot read the data of image img-6-" + mode.ordinal()
                            + ": IOException: client went away");
        }
        assertThat(InMemoryStoreDriver.objects(nsA)).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsB)).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsC)).isEmpty();
    }

    @Test
    void theDeclaredSizeIsEnforcedByEveryStore() {
        byte[] data = TestData.bytes(100_000, 8);
        stores();
        assertThatThrownBy(() -> stores.addAll(List.of("a", "b"), "img-7", new ByteArrayInputStream(data),
                data.length + 1, FanOutMode.BEST_EFFORT))
                .isInstanceOf(AddFailedException.class)
                .satisfies(e -> assertThat(((AddFailedException) e).failures().values())
                        .allMatch(error -> error instanceof SizeMismatchException));
        assertThat(InMemoryStoreDriver.objects(nsA)).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsB)).isEmpty();
    }

    @Test
    void badRequestsFailBeforeAnythingIsRead() {
        CountingInputStream input = new CountingInputStream(new ByteArrayInputStream(new byte[100]));
        stores("stowage.stores.ro.type", "faulty", "stowage.stores.ro.read-only", "true",
                "stowage.stores.ro.namespace", nsC);
        assertThatThrownBy(() -> stores.addAll(List.of("a", "bb"), "img-8", input, 100, FanOutMode.BEST_EFFORT))
                .isInstanceOf(UnknownStoreException.class)
                .hasMessage("Cannot add image 'img-8' to store 'bb': no such store (did you mean 'b'?); configured "
                        + "stores: a, b, c, ro");
        assertThatThrownBy(() -> stores.addAll(List.of("a", "ro"), "img-8", input, 100, FanOutMode.BEST_EFFORT))
                .isInstanceOf(OperationNotSupportedException.class)
                .hasMessage("Cannot add image 'img-8' to store ro: the store (type faulty) does not support WRITE");
        assertThatThrownBy(() -> stores.addAll(List.of("a"), "../etc", input, 100, FanOutMode.BEST_EFFORT))
                .isInstanceOf(InvalidImageIdException.class)
                .hasMessage("Cannot use image id '../etc': it must start with an ASCII letter or digit");
        assertThatThrownBy(() -> stores.addAll(List.of(), "img-8", input, 100, FanOutMode.BEST_EFFORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot add image 'img-8': no stores given");
        assertThatThrownBy(() -> stores.addAll(List.of("a"), "img-8", input, -5, FanOutMode.BEST_EFFORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot add image 'img-8': size -5 is negative");
        assertThat(input.count()).isZero();
    }

    @Test
    void aStoreNamedTwiceIsWrittenOnce() {
        byte[] data = TestData.bytes(1000, 9);
        FanOutResult result = stores().addAll(List.of("a", "b", "a"), "img-9", new ByteArrayInputStream(data),
                data.length, FanOutMode.ALL_MUST_SUCCEED);
        assertThat(result.added()).containsOnlyKeys("a", "b");
    }

    @Test
    void anEmptyImageAndAnUnknownSizeWork() {
        FanOutResult empty = stores().addAll(List.of("a", "b"), "img-10", new ByteArrayInputStream(new byte[0]), 0,
                FanOutMode.ALL_MUST_SUCCEED);
        assertThat(empty.added().values()).allSatisfy(added -> assertThat(added.bytesWritten()).isZero());
        byte[] data = TestData.bytes(FanOut.CHUNK_SIZE * 3, 10); // an exact multiple of the chunk size
        FanOutResult unknown = stores.addAll(List.of("b", "c"), "img-11", new ByteArrayInputStream(data),
                Stores.UNKNOWN_SIZE, FanOutMode.ALL_MUST_SUCCEED);
        assertThat(unknown.added().values()).allSatisfy(added ->
                assertThat(added.bytesWritten()).isEqualTo(data.length));
        assertThat(InMemoryStoreDriver.objects(nsC).get("img-11")).isEqualTo(data);
    }

    @Test
    void theReadIsBoundedBySlowestStoreAndNeverBuffersTheWholeImage() {
        // the slow store pauses after each 64 KiB; the producer may only run a few chunks ahead of it
        int size = 4 * 1024 * 1024;
        byte[] data = TestData.bytes(size, 11);
        stores("stowage.stores.slow.type", "faulty", "stowage.stores.slow.namespace", TestData.namespace("slow"),
                "stowage.stores.slow.add-pause-millis", "2");
        FaultyStoreDriver.FaultyStore slow = (FaultyStoreDriver.FaultyStore) stores.store("slow");
        AtomicLong maxLead = new AtomicLong();
        CountingInputStream input = new CountingInputStream(new ByteArrayInputStream(data),
                read -> maxLead.accumulateAndGet(read - slow.addProgress(), Math::max));

        FanOutResult result = stores.addAll(List.of("a", "slow", "b"), "img-12", input, size,
                FanOutMode.ALL_MUST_SUCCEED);

        assertThat(result.allSucceeded()).isTrue();
        long bound = (long) (FanOut.CHUNKS_PER_STORE + 3) * FanOut.CHUNK_SIZE;
        assertThat(maxLead.get()).as("bytes read ahead of the slowest store").isLessThanOrEqualTo(bound)
                .isGreaterThanOrEqualTo(FanOut.CHUNK_SIZE);
        assertThat(bound).isLessThan(size / 4);
    }

    @Test
    void aStoreThatFailsEarlyNeitherBlocksNorSlowsTheOthers() {
        int size = 8 * 1024 * 1024;
        byte[] data = TestData.bytes(size, 12);
        stores("stowage.stores.a.fail-adds-after", "0");
        FanOutResult result = stores.addAll(List.of("a", "b", "c"), "img-13", new ByteArrayInputStream(data), size,
                FanOutMode.BEST_EFFORT);
        assertThat(result.failed()).containsOnlyKeys("a");
        assertThat(InMemoryStoreDriver.objects(nsB).get("img-13")).isEqualTo(data);
        assertThat(InMemoryStoreDriver.objects(nsC).get("img-13")).isEqualTo(data);
    }

    @Test
    void aCopyThatCannotBeRemovedIsReportedAndLogged() {
        // sticky finishes at once; late pauses, then fails at the end of the data; sticky's copy cannot be deleted
        byte[] data = TestData.bytes(50_000, 13);
        String nsKeep = TestData.namespace("keep");
        stores("stowage.stores.sticky.type", "faulty", "stowage.stores.sticky.namespace", nsKeep,
                "stowage.stores.sticky.fail-deletes", "true",
                "stowage.stores.late.type", "faulty", "stowage.stores.late.namespace", TestData.namespace("late"),
                "stowage.stores.late.add-pause-millis", "200", "stowage.stores.late.fail-adds-at-end", "true");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (LogCapture log = new LogCapture()) {
            assertThatThrownBy(() -> stores.addAll(List.of("sticky", "late"), "img-14", new ByteArrayInputStream(data),
                    data.length, FanOutMode.ALL_MUST_SUCCEED))
                    .isInstanceOf(AddFailedException.class)
                    .satisfies(thrown::set);
            assertThat(log.lines(Level.WARNING)).anySatisfy(line -> assertThat(line).contains(
                    "Cannot remove the copy of image img-14 at faulty://" + nsKeep + "/img-14 (store sticky) after "
                            + "the fan-out add failed; remove it by hand: Cannot delete faulty://" + nsKeep
                            + "/img-14: injected failure"));
        }
        assertThat(((AddFailedException) thrown.get()).failures()).containsOnlyKeys("late");
        assertThat(InMemoryStoreDriver.objects(nsKeep)).containsKey("img-14");
        assertThat(thrown.get().getSuppressed()).singleElement().isInstanceOf(ServiceUnavailableException.class)
                .extracting(Throwable::getMessage).isEqualTo("Cannot delete faulty://" + nsKeep
                        + "/img-14: injected failure");
    }
    @Test
    void interruptingTheCallerCancelsEveryStoreAndKeepsNoCopy() throws Exception {
        int size = 8 * 1024 * 1024;
        byte[] data = TestData.bytes(size, 14);
        String nsSlow = TestData.namespace("slow-int");
        stores("stowage.stores.slow.type", "faulty", "stowage.stores.slow.namespace", nsSlow,
                "stowage.stores.slow.add-pause-millis", "20");
        FaultyStoreDriver.FaultyStore slow = (FaultyStoreDriver.FaultyStore) stores.store("slow");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                stores.addAll(List.of("a", "slow"), "img-15", new ByteArrayInputStream(data), size,
                        FanOutMode.BEST_EFFORT);
            } catch (Throwable e) {
                thrown.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        while (slow.addProgress() == 0 && caller.isAlive()) {
            Thread.sleep(5);
        }
        caller.interrupt();
        caller.join(30_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(StoreIOException.class)
                .hasMessage("Cannot add image img-15 to stores a, slow: interrupted; the copies written were removed");
        assertThat(stillInterrupted.get()).as("the interrupt flag is kept").isTrue();
        assertThat(InMemoryStoreDriver.objects(nsA)).isEmpty();
        assertThat(InMemoryStoreDriver.objects(nsSlow)).isEmpty();
    }
}
