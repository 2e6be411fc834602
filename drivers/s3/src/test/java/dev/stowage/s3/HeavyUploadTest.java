package dev.stowage.s3;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

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
        assertThat(maxHeap).as("this test must run with -Xmx128m (use -Pheavy)").isLessThanOrEqualTo(128L << 20 + 0);
        S3ProxyServer server = S3ProxyServer.inChildProcess("1g");
        String bucket = server.newBucket();
        resetPeaks();
        try (Store store = server.open("heavy", bucket, Map.of())) {
            Generated data = new Generated(SIZE);
            long start = System.nanoTime();
            AddResult result = store.add("one-gib", data, Store.UNKNOWN_SIZE, AddOptions.defaults());
            double addSeconds = (System.nanoTime() - start) / 1e9;
            long addPeak = heapPeak();

            String expectedMd5 = data.md5Hex();
            assertThat(result.bytesWritten()).isEqualTo(SIZE);
            assertThat(result.md5()).isEqualTo(expectedMd5);
            String etag = server.admin().headObject(request -> request.bucket(bucket).key("one-gib")).eTag();
            assertThat(server.uploads(bucket)).isEmpty();

            resetPeaks();
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

            System.out.printf("Heavy add: %d bytes of unknown size, default parts (10 MiB x 4), max heap %d MiB%n",
                    SIZE, maxHeap >> 20);
            System.out.printf("  add %.1f s (%.0f MiB/s), ETag %s, heap peak during add %d MiB%n", addSeconds,
                    SIZE / addSeconds / (1 << 20), etag, addPeak >> 20);
            System.out.printf("  get %.1f s (%.0f MiB/s), heap peak during get %d MiB%n", getSeconds,
                    SIZE / getSeconds / (1 << 20), heapPeak() >> 20);
        } finally {
            server.close();
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /**
     * Sum of the heap pools' peaks since the last reset: an upper bound of the heap's peak use, garbage included (the
     * collector lets the young generation fill up before it runs).
     */
    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** Reproducible, incompressible bytes made on the fly (nothing is held), hashed as they are handed out. */
    private static final class Generated extends InputStream {
        private final long size;
        private final byte[] block = new byte[1 << 20];
        private final MessageDigest md5;
        private long position;

        Generated(long size) throws Exception {
            this.size = size;
            new Random(42).nextBytes(block);
            this.md5 = MessageDigest.getInstance("MD5");
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
    }
}
