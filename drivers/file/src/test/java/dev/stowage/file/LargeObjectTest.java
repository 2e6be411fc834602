package dev.stowage.file;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Multihash;
import dev.stowage.spi.OptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule S1 for the file store: a large object is added and read back while memory stays bounded by the chunk size.
 * The default run uses 64 MiB. The heavy run ({@code mvn -pl drivers/file -am verify -Pheavy}) sets
 * {@code -Xmx64m}, {@code stowage.file.heavy=true} and {@code stowage.file.large-size=2GiB}, and then also checks that
 * the heap really is at most 64 MiB, so the object is 32 times larger than the heap. Sizes and rates are printed (see
 * target/surefire-reports/dev.stowage.file.LargeObjectTest-output.txt); nothing here asserts a time.
 */
class LargeObjectTest {
    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aLargeObjectIsAddedAndReadBackInBoundedMemory() throws Exception {
        long size = OptionType.BYTES.parse(System.getProperty("stowage.file.large-size", "64MiB"));
        boolean heavy = Boolean.getBoolean("stowage.file.heavy");
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (heavy) {
            assertThat(maxHeap).as("the heavy run must have -Xmx64m").isLessThanOrEqualTo(64 * MiB);
            assertThat(size).as("the heavy run must be at least 2 GiB").isGreaterThanOrEqualTo(2048 * MiB);
        }
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long seed = 42;
        try (FileStore store = TestStores.open(dir)) {
            long start = System.nanoTime();
            AddResult added = store.add("large", new PatternStream(seed, size), size, AddOptions.defaults());
            long addNanos = System.nanoTime() - start;
            assertThat(added.bytesWritten()).isEqualTo(size);
            assertThat(store.size(added.location())).isEqualTo(size);

            start = System.nanoTime();
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            long checked = 0;
            byte[] buffer = new byte[256 << 10];
            byte[] expected = new byte[buffer.length];
            try (InputStream in = store.get(added.location(), ByteRange.all())) {
                int n;
                while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                    PatternStream.fill(seed, checked, expected, 0, n);
                    if (!Arrays.equals(buffer, 0, n, expected, 0, n)) {
                        throw new AssertionError("bytes differ in [" + checked + ", " + (checked + n) + ")");
                    }
                    sha512.update(buffer, 0, n);
                    checked += n;
                }
            }
            long getNanos = System.nanoTime() - start;
            assertThat(checked).isEqualTo(size);
            assertThat(added.multihash()).isEqualTo(Multihash.of(HashAlgorithm.SHA512, sha512.digest()));

            long tail = Math.min(size, MiB);
            byte[] last = TestStores.read(store.get(added.location(), ByteRange.from(size - tail)));
            PatternStream.fill(seed, size - tail, expected = new byte[(int) tail], 0, (int) tail);
            assertThat(last).isEqualTo(expected);

            start = System.nanoTime();
            try (FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
                assertThat(store.transferTo(added.location(), devNull)).isEqualTo(size);
            }
            long transferNanos = System.nanoTime() - start;
            store.delete(added.location());

            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            System.out.printf("file store large object: %d MiB, max heap %d MiB, peak heap used %d MiB%n",
                    size / MiB, maxHeap / MiB, peakHeap / MiB);
            System.out.printf("  add (fsync, md5 + sha512) %.1f s = %.0f MiB/s%n", addNanos / 1e9, rate(size, addNanos));
            System.out.printf("  get + compare + sha512    %.1f s = %.0f MiB/s%n", getNanos / 1e9, rate(size, getNanos));
            System.out.printf("  transferTo /dev/null      %.1f s = %.0f MiB/s%n", transferNanos / 1e9,
                    rate(size, transferNanos));
        }
    }

    private static double rate(long bytes, long nanos) {
        return bytes / (double) MiB / (nanos / 1e9);
    }
}
