package dev.stowage.s3;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB add of unknown size with the default part settings (10 MiB parts, 4 uploads at once), in a JVM limited to
 * 128 MiB of heap; the S3Proxy server runs in a child JVM of its own, so the limit measures the store alone. Then the
 * object is read back and hashed. Heavy, so it only runs with {@code -Pheavy} (drivers/s3/pom.xml), which forks a JVM
 * with {@code -Xmx128m} and sets {@code stowage.heavy=true}; {@code -Dstowage.heavy.size=<bytes>} changes the size.
 * It prints its figures: time, throughput, parts, and the heap's peak use.
 */
@EnabledIfSystemProperty(named = "stowage.heavy", matches = "true",
        disabledReason = "heavy: run with -Pheavy (a forked JVM with -Xmx128m)")
class HeavyUploadTest {
    private static final long SIZE = Long.getLong("stowage.heavy.size", 1L << 30);

    @Test
    void oneGibOfUnknownSizeUnder128MibOfHeap() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap).as("this test must run with -Xmx128m (use -Pheavy)").isLessThanOrEqualTo(128L << 20);
        S3ProxyServer server = S3ProxyServer.inChildProcess("1g");
        String bucket = server.newBucket();
        GcWatch gc = new GcWatch();
        try (Store store = server.open("heavy", bucket, Map.of())) {
            Generated data = new Generated(SIZE);
            gc.reset();
            long start = System.nanoTime();
            AddResult result = store.add("one-gib", data, Store.UNKNOWN_SIZE, AddOptions.defaults());
            double addSeconds = (System.nanoTime() - start) / 1e9;
            String addHeap = gc.report();

            String expectedMd5 = data.md5Hex();
            assertThat(result.bytesWritten()).isEqualTo(SIZE);
            assertThat(result.md5()).isEqualTo(expectedMd5);
            assertThat(result.multihash().hex()).isEqualTo(HexFormat.of().formatHex(data.sha512()));
            String etag = server.admin().headObject(request -> request.bucket(bucket).key("one-gib")).eTag();
            long parts = (SIZE + (10L << 20) - 1) / (10L << 20);
            assertThat(etag).as("a multipart ETag with one part per 10 MiB (the default part size)")
                    .endsWith("-" + parts + "\"");
            assertThat(server.uploads(bucket)).isEmpty();

            gc.reset();
            start = System.nanoTime();
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            long read = 0;
            try (InputStream in = store.get(result.location(), ByteRange.all())) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    md5.update(buffer, 0, n);
                    read += n;
                }
            }
            double getSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(read).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(md5.digest())).isEqualTo(expectedMd5);

            System.out.printf("Heavy add: %d bytes of unknown size, default parts (10 MiB, 4 at once), max heap %d"
                    + " MiB, %d cores%n", SIZE, maxHeap >> 20, Runtime.getRuntime().availableProcessors());
            System.out.printf("  add %.1f s (%.0f MiB/s), ETag %s; heap during add: %s%n", addSeconds,
                    SIZE / addSeconds / (1 << 20), etag, addHeap);
            System.out.printf("  get %.1f s (%.0f MiB/s); heap during get: %s%n", getSeconds,
                    SIZE / getSeconds / (1 << 20), gc.report());
        } finally {
            gc.close();
            server.close();
        }
    }

    /**
     * Heap figures since the last {@link #reset()}: the peak of the heap pools (an upper bound of use, garbage
     * included: the collector lets the young generation fill before it runs) and the largest heap left after a
     * collection (what was still reachable, plus old garbage not yet collected), from the collectors' notifications.
     */
    private static final class GcWatch implements AutoCloseable {
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final AtomicLong collections = new AtomicLong();
        private final AtomicLong gcMillis = new AtomicLong();
        private final NotificationListener listener = (notification, handback) -> {
            if (!"com.sun.management.gc.notification".equals(notification.getType())) {
                return;
            }
            CompositeData data = (CompositeData) notification.getUserData();
            if ("System.gc()".equals(data.get("gcCause"))) {
                return; // the test's own collections in reset(), reported late
            }
            CompositeData info = (CompositeData) data.get("gcInfo");
            collections.incrementAndGet();
            gcMillis.addAndGet((Long) info.get("duration"));
            long after = 0;
            for (Object row : ((TabularData) info.get("memoryUsageAfterGc")).values()) {
                CompositeData entry = (CompositeData) row;
                if (heapPools().contains((String) entry.get("key"))) {
                    after += MemoryUsage.from((CompositeData) entry.get("value")).getUsed();
                }
            }
            long used = after;
            maxAfterGc.accumulateAndGet(used, Math::max);
        };

        GcWatch() {
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
            }
        }

        private static java.util.Set<String> heapPools() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getName).collect(java.util.stream.Collectors.toSet());
        }

        void reset() {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            maxAfterGc.set(0);
            collections.set(0);
            gcMillis.set(0);
        }

        String report() {
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            if (collections.get() == 0) {
                return String.format("pool peaks %d MiB, no collection", peak >> 20);
            }
            return String.format("pool peaks %d MiB, largest heap after a collection %d MiB (%d collections, %d ms)",
                    peak >> 20, maxAfterGc.get() >> 20, collections.get(), gcMillis.get());
        }

        @Override
        public void close() throws Exception {
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).removeNotificationListener(listener);
            }
        }
    }

    /** Reproducible, incompressible bytes made on the fly (nothing is held), hashed as they are handed out. */
    private static final class Generated extends InputStream {
        private final long size;
        private final byte[] block = new byte[1 << 20];
        private final MessageDigest md5;
        private final MessageDigest sha512;
        private long position;

        Generated(long size) throws Exception {
            this.size = size;
            new Random(42).nextBytes(block);
            this.md5 = MessageDigest.getInstance("MD5");
            this.sha512 = MessageDigest.getInstance("SHA-512");
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int inBlock = (int) (position % block.length);
            int n = (int) Math.min(Math.min(length, block.length - inBlock), size - position);
            long blockNumber = position / block.length;
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) (block[inBlock + i] ^ blockNumber);
            }
            md5.update(buffer, offset, n);
            sha512.update(buffer, offset, n);
            position += n;
            return n;
        }

        /** The MD5 of all the bytes; once (the digest resets). */
        String md5Hex() throws IOException {
            if (position != size) {
                throw new IOException("not fully read: " + position + " of " + size);
            }
            return HexFormat.of().formatHex(md5.digest());
        }

        /** The SHA-512 of all the bytes; once. */
        byte[] sha512() {
            return sha512.digest();
        }
    }
}
