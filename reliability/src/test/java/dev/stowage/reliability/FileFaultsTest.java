package dev.stowage.reliability;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ChecksumMismatchException;
import dev.stowage.api.ExpectedContent;
import dev.stowage.api.FanOutMode;
import dev.stowage.api.FanOutResult;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.Stores;
import dev.stowage.api.WriteDeniedException;
import dev.stowage.file.FileFaults;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults in the file store's adds and reads. Every add that fails must leave no object and no temp file, every add
 * that succeeds must have stored exactly its data, and the objects added before must keep their bytes (SHA-512).
 */
@ExtendWith(Recorded.class)
class FileFaultsTest {
    private static final Tally TALLY = Tally.of("faults-file");

    @TempDir
    Path root;

    /** What goes wrong in one add. */
    enum Fault {
        INPUT_FAILS, INPUT_SHORT, INPUT_LONG, INTERRUPTED, CREATE_DENIED, WRITE_FULL, WRITE_IO, FORCE_IO, LINK_DENIED,
        LINK_FULL
    }

    /** One data directory with its store, its fault seam and the objects it must hold. */
    private static final class Target {
        final Path datadir;
        final FileFaults faults = new FileFaults();
        final Store store;
        final boolean fsync;
        final Map<String, String> kept = new LinkedHashMap<>();

        Target(Path datadir, String chunkSize, boolean fsync) {
            this.datadir = datadir;
            this.fsync = fsync;
            this.store = faults.open(FileStores.config(datadir, "chunk-size", chunkSize, "fsync", String.valueOf(fsync)));
        }
    }

    @Test
    void addsFailingAnywhereLeaveNothingBehind() throws Exception {
        long seed = Knobs.seed(TALLY, "add-faults");
        Random random = new Random(seed);
        int maxSize = Knobs.heavy() ? 8 << 20 : 256 << 10;
        List<Target> targets = List.of(new Target(root.resolve("small-chunks"), "4KiB", true),
                new Target(root.resolve("default-chunks"), "64KiB", false));
        for (Target target : targets) {
            for (int i = 0; i < 5; i++) {
                byte[] data = Bytes.random(random.nextInt(100_000), random.nextLong());
                FileStores.add(target.store, "earlier-" + i, data);
                target.kept.put("earlier-" + i, Bytes.sha512(data));
            }
        }
        int cases = Knobs.scaled(200);
        Map<Fault, Integer> fired = new LinkedHashMap<>();
        for (int i = 0; i < cases; i++) {
            Target target = targets.get(random.nextInt(targets.size()));
            Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
            int size = random.nextInt(8) == 0 ? 0 : random.nextInt(maxSize);
            long at = size == 0 ? 0 : (long) (random.nextDouble() * size);
            String id = "case-" + i;
            byte[] data = Bytes.random(size, random.nextLong());
            if (runOne(target, id, data, fault, at, random)) {
                fired.merge(fault, 1, Integer::sum);
            }
            TALLY.inc(Tally.CASES);
            // names after every case; bytes of every object every 25 cases and at the end
            checkTree(target, i % 25 == 24 || i == cases - 1);
        }
        for (Target target : targets) {
            checkTree(target, true);
            target.store.close();
        }
        TALLY.note("add-faults.fired", fired.toString());
        assertThat(fired.keySet()).as("every kind of fault went off at least once").containsAll(
                Knobs.heavy() || cases >= 200 ? List.of(Fault.values()) : List.of());
    }

    /** Runs one add under {@code fault}; returns whether the fault went off. */
    private boolean runOne(Target target, String id, byte[] data, Fault fault, long at, Random random)
            throws IOException {
        String uri = "file://" + target.datadir.toRealPath().resolve(id);
        long declared = random.nextBoolean() ? data.length : Store.UNKNOWN_SIZE;
        InputStream input = new ByteArrayInputStream(data);
        switch (fault) {
            case INPUT_FAILS -> input = Bytes.failingAt(data, at);
            case INPUT_SHORT -> declared = data.length + 1 + random.nextInt(1000);
            case INPUT_LONG -> declared = data.length == 0 ? -2 : random.nextInt(data.length);
            case INTERRUPTED -> input = interruptingAt(data, at);
            case CREATE_DENIED -> target.faults.arm(FileFaults.Kind.CREATE_DENIED, 0);
            case WRITE_FULL -> target.faults.arm(FileFaults.Kind.WRITE_FULL, at);
            case WRITE_IO -> target.faults.arm(FileFaults.Kind.WRITE_IO, at);
            case FORCE_IO -> target.faults.arm(FileFaults.Kind.FORCE_IO, 0);
            case LINK_DENIED -> target.faults.arm(FileFaults.Kind.LINK_DENIED, 0);
            case LINK_FULL -> target.faults.arm(FileFaults.Kind.LINK_FULL, 0);
            default -> throw new IllegalStateException();
        }
        if (declared == -2) {
            // "longer than declared" needs at least one byte; an empty object is tried with a short stream instead
            declared = 1;
            fault = Fault.INPUT_SHORT;
        }
        int firedBefore = target.faults.fired();
        InputStream data0 = input;
        long size0 = declared;
        AddResult[] result = new AddResult[1];
        Throwable failure = Caught.outcome(() -> result[0] = target.store.add(id, data0, size0, AddOptions.defaults()));
        boolean interrupted = Thread.interrupted();
        target.faults.disarm();
        boolean seamFired = target.faults.fired() > firedBefore;

        if (failure == null) {
            // only faults that could not bite may end in success
            assertThat(fault).as("add of %s under %s (at %d, %d bytes, fsync %s) succeeded", id, fault, at,
                    data.length, target.fsync).isIn(Fault.WRITE_FULL, Fault.WRITE_IO, Fault.FORCE_IO,
                    Fault.INTERRUPTED);
            assertThat(seamFired).as("a fault went off, yet the add succeeded").isFalse();
            assertThat(result[0].bytesWritten()).isEqualTo(data.length);
            assertThat(result[0].multihash().hex()).isEqualTo(Bytes.sha512(data));
            assertThat(result[0].md5()).isEqualTo(Bytes.md5(data));
            target.kept.put(id, Bytes.sha512(data));
            return false;
        }
        TALLY.inc(Tally.FAULTS);
        assertThat(failure).as("failure of %s under %s", id, fault).isInstanceOf(StoreException.class);
        String message = failure.getMessage();
        switch (fault) {
            case INPUT_FAILS -> assertThat(failure).isInstanceOf(StoreIOException.class)
                    .hasMessage("Cannot add " + uri + ": reading the data failed after " + at
                            + " bytes: connection reset by peer (injected at byte " + at + ")");
            case INPUT_SHORT -> assertThat(failure).isInstanceOf(SizeMismatchException.class)
                    .hasMessageStartingWith("Cannot add " + uri + ": the data ended after " + data.length);
            case INPUT_LONG -> assertThat(failure).isInstanceOf(SizeMismatchException.class)
                    .hasMessageStartingWith("Cannot add " + uri + ": the data is longer than the declared size");
            case INTERRUPTED -> assertThat(failure).isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Cannot add " + uri + ": ").hasMessageEndingWith(": interrupted");
            case CREATE_DENIED -> assertThat(failure).isInstanceOf(WriteDeniedException.class)
                    .hasMessage("Cannot add " + uri + ": cannot create a temp file in " + target.datadir.toRealPath()
                            + ": permission denied");
            case WRITE_FULL -> assertThat(failure).isInstanceOf(StorageFullException.class)
                    .hasMessageStartingWith("Cannot add " + uri + ": writing at byte ")
                    .hasMessageEndingWith(" failed: No space left on device");
            case WRITE_IO -> assertThat(failure).isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Cannot add " + uri + ": writing at byte ")
                    .hasMessageEndingWith(" failed: Input/output error");
            case FORCE_IO -> assertThat(failure).isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Cannot add " + uri + ": cannot finish the temp file ")
                    .hasMessageEndingWith(": Input/output error");
            case LINK_DENIED -> assertThat(failure).isInstanceOf(WriteDeniedException.class)
                    .hasMessage("Cannot add " + uri + ": cannot give the temp file its final name: permission denied");
            case LINK_FULL -> assertThat(failure).isInstanceOf(StorageFullException.class)
                    .hasMessage("Cannot add " + uri + ": cannot give the temp file its final name: No space left"
                            + " on device");
            default -> throw new IllegalStateException();
        }
        if (fault == Fault.WRITE_FULL || fault == Fault.WRITE_IO || fault == Fault.FORCE_IO
                || fault == Fault.CREATE_DENIED || fault == Fault.LINK_DENIED || fault == Fault.LINK_FULL) {
            assertThat(seamFired).as("the store failed with %s without the injected fault going off", message)
                    .isTrue();
        }
        if (fault == Fault.INTERRUPTED) {
            assertThat(interrupted).as("the interrupt flag survives the failed add").isTrue();
        }
        // no partial object visible
        Location location = FileStores.location(target.store, target.datadir, id);
        assertThat(Caught.failure(() -> target.store.size(location))).isInstanceOf(ObjectNotFoundException.class);
        return true;
    }

    /** A stream that interrupts the reading thread once {@code at} bytes were delivered (a cancelled request). */
    private static InputStream interruptingAt(byte[] data, long at) {
        return new ByteArrayInputStream(data) {
            private long delivered;

            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                int limit = delivered < at ? (int) Math.min(length, at - delivered) : length;
                int n = super.read(buffer, offset, limit);
                if (n > 0) {
                    delivered += n;
                }
                if (delivered >= at || n < 0) {
                    Thread.currentThread().interrupt();
                }
                return n;
            }
        };
    }

    private static void checkTree(Target target, boolean bytes) {
        if (bytes) {
            Trees.assertExactly(TALLY, target.datadir, target.kept);
        } else {
            List<String> extra = new ArrayList<>(Trees.files(target.datadir));
            extra.removeAll(target.kept.keySet());
            TALLY.add(Tally.ORPHANS, extra.size());
            assertThat(extra).as("temp files or partial objects left in %s", target.datadir).isEmpty();
        }
    }

    /**
     * Size and hash mismatches on the read side: one copy of an object is corrupted behind the store's back (a byte
     * flipped, the file cut short or grown). Reading that copy alone must fail with the matching typed error at the
     * end of the data; reading it with a good second copy must fail over where the size tells (short or long copy)
     * and deliver exactly the object.
     */
    @Test
    void corruptedCopiesAreCaughtByFailoverReads() throws Exception {
        long seed = Knobs.seed(TALLY, "read-mismatch");
        Random random = new Random(seed);
        Path a = root.resolve("copy-a");
        Path b = root.resolve("copy-b");
        Map<String, String> configuration = new HashMap<>(FileStores.stowage("a", a));
        configuration.putAll(FileStores.stowage("b", b));
        configuration.put("stowage.default-store", "a");
        configuration.put("stowage.stores.a.fsync", "false");
        configuration.put("stowage.stores.b.fsync", "false");
        Map<String, String> keptA = new HashMap<>();
        Map<String, String> keptB = new HashMap<>();
        try (Stores stores = Stores.fromMap(configuration)) {
            int cases = Knobs.scaled(60);
            for (int i = 0; i < cases; i++) {
                byte[] data = Bytes.random(1 + random.nextInt(300_000), random.nextLong());
                String id = "image-" + i;
                FanOutResult added = stores.addAll(List.of("a", "b"), id, new ByteArrayInputStream(data), data.length,
                        FanOutMode.ALL_MUST_SUCCEED);
                AddResult result = added.added().get("a");
                assertThat(added.allSucceeded()).isTrue();
                Location copyA = result.location();
                Location copyB = added.added().get("b").location();
                Path fileA = a.toRealPath().resolve(id);
                int kind = random.nextInt(3);
                try (RandomAccessFile file = new RandomAccessFile(fileA.toFile(), "rw")) {
                    if (kind == 0) {
                        long at = (long) (random.nextDouble() * data.length);
                        file.seek(at);
                        file.write(data[(int) at] ^ (1 + random.nextInt(255)));
                    } else if (kind == 1) {
                        file.setLength((long) (random.nextDouble() * data.length));
                    } else {
                        file.seek(data.length);
                        file.write(Bytes.random(1 + random.nextInt(5000), random.nextLong()));
                    }
                }
                TALLY.inc(Tally.FAULTS);
                ExpectedContent expected = ExpectedContent.of(result);
                Throwable alone = Caught.failure(() -> Bytes.sha512(stores.open(List.of(copyA), expected)));
                if (kind == 0) {
                    assertThat(alone).isInstanceOf(ChecksumMismatchException.class)
                            .hasMessageStartingWith("Cannot read image from " + copyA.uri())
                            .hasMessageContaining(": multihash mismatch: expected ");
                } else {
                    assertThat(alone).isInstanceOf(SizeMismatchException.class)
                            .hasMessageStartingWith("Cannot read image from ")
                            .hasMessageContaining("no location delivered the expected " + data.length + " bytes");
                }
                if (kind == 0) {
                    // a flipped byte shows only at the end, after the bytes were handed out: no failover possible
                    assertThat(Caught.failure(() -> Bytes.sha512(stores.open(List.of(copyA, copyB), expected))))
                            .isInstanceOf(ChecksumMismatchException.class);
                } else {
                    assertThat(Bytes.sha512(stores.open(List.of(copyA, copyB), expected)))
                            .as("failover from a %s copy", kind == 1 ? "short" : "long").isEqualTo(Bytes.sha512(data));
                }
                // the good copy was never touched
                assertThat(Bytes.sha512(stores.get(copyB))).isEqualTo(Bytes.sha512(data));
                TALLY.inc(Tally.CASES);
                if (random.nextBoolean()) {
                    stores.delete(copyA);
                } else {
                    keptA.put(id, Bytes.sha512(Files.readAllBytes(fileA)));
                }
                keptB.put(id, Bytes.sha512(data));
            }
        }
        Trees.assertExactly(TALLY, b, keptB);
        Trees.assertExactly(TALLY, a, keptA);
    }

    /**
     * A real full file system: a 2 MiB tmpfs (needs mount(8), so root or CAP_SYS_ADMIN; skipped with the reason where
     * that is not allowed). Adds of unknown size run into ENOSPC mid-write; each must leave nothing and give the
     * space back, and the objects that fitted stay intact.
     */
    @Test
    void aRealFullFileSystem() throws Exception {
        long seed = Knobs.seed(TALLY, "tmpfs-full");
        Random random = new Random(seed);
        Path mount = root.resolve("tmpfs");
        Files.createDirectories(mount);
        String problem = Mounts.mountTmpfs(mount, "2m");
        assumeTrue(problem == null, "cannot mount a tmpfs here: " + problem);
        TALLY.note("disk-full.real", "tmpfs 2 MiB");
        try {
            Map<String, String> kept = new HashMap<>();
            try (Store store = FileStores.open(mount, "fsync", "true")) {
                int full = 0;
                for (int i = 0; i < Knobs.scaled(40); i++) {
                    byte[] data = Bytes.random(random.nextInt(700_000), random.nextLong());
                    String id = "t-" + i;
                    Throwable failure = Caught.outcome(() -> store.add(id, new ByteArrayInputStream(data),
                            Store.UNKNOWN_SIZE, AddOptions.defaults()));
                    TALLY.inc(Tally.CASES);
                    if (failure == null) {
                        kept.put(id, Bytes.sha512(data));
                    } else {
                        full++;
                        TALLY.inc(Tally.FAULTS);
                        // ENOSPC mid-write, or refused up front once nothing at all is free
                        assertThat(failure).isInstanceOf(StorageFullException.class);
                        assertThat(failure.getMessage()).satisfiesAnyOf(
                                message -> assertThat(message).startsWith("Cannot add file://")
                                        .endsWith(": No space left on device"),
                                message -> assertThat(message).startsWith("Cannot add image '" + id + "' to store"
                                        + " local: no data directory has free space: "));
                    }
                    Trees.assertExactly(TALLY, mount, kept);
                    // free some room now and then, so that later adds fit again
                    if (!kept.isEmpty() && random.nextInt(3) == 0) {
                        String victim = kept.keySet().iterator().next();
                        store.delete(FileStores.location(store, mount, victim));
                        kept.remove(victim);
                    }
                }
                assertThat(full).as("adds that ran into the full file system").isPositive();
            }
        } finally {
            Mounts.unmount(mount);
        }
    }

    /**
     * A real "permission denied" from the kernel. Root ignores permission bits, so when the suite runs as root the
     * data directory is made immutable with {@code chattr +i} (EPERM for any new name in it) instead of
     * {@code chmod 0555}; where neither is possible the test is skipped with the reason.
     */
    @Test
    void aRealPermissionDenied() throws Exception {
        Path datadir = root.resolve("locked");
        Map<String, String> kept = new HashMap<>();
        try (Store store = FileStores.open(datadir, "fsync", "false")) {
            for (int i = 0; i < 3; i++) {
                byte[] data = Bytes.random(10_000 + i, i);
                FileStores.add(store, "kept-" + i, data);
                kept.put("kept-" + i, Bytes.sha512(data));
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            String how = root ? Mounts.immutable(datadir, true) : Mounts.chmod(datadir, "0555");
            assumeTrue(how == null || how.isEmpty(), "cannot deny writes to a directory here: " + how);
            TALLY.note("permission-denied.real", root ? "running as root: chattr +i on the data directory (EPERM)"
                    : "chmod 0555 on the data directory (EACCES)");
            try {
                for (int i = 0; i < Knobs.scaled(10); i++) {
                    String id = "denied-" + i;
                    byte[] data = Bytes.random(5_000 * (i + 1), 100 + i);
                    Throwable failure = Caught.failure(() -> FileStores.add(store, id, data));
                    TALLY.inc(Tally.CASES);
                    TALLY.inc(Tally.FAULTS);
                    assertThat(failure).isInstanceOf(WriteDeniedException.class)
                            .hasMessageStartingWith("Cannot add file://" + datadir.toRealPath().resolve(id)
                                    + ": cannot create a temp file in ");
                    Location victim = FileStores.location(store, datadir, "kept-0");
                    assertThat(Caught.failure(() -> store.delete(victim))).isInstanceOf(WriteDeniedException.class)
                            .hasMessageStartingWith("Cannot delete " + victim.uri() + ": cannot remove the file: ");
                    Trees.assertExactly(TALLY, datadir, kept);
                }
            } finally {
                if (root) {
                    Mounts.immutable(datadir, false);
                } else {
                    Mounts.chmod(datadir, "0755");
                }
            }
            Trees.assertExactly(TALLY, datadir, kept);
        }
    }
}
