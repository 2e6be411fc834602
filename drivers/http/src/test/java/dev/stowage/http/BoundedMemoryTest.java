package dev.stowage.http;

import dev.stowage.api.ByteRange;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule S1 for reads: a 128 MiB object is read in a separate JVM limited to a 32 MiB heap, so a store that buffered
 * the body would fail there with OutOfMemoryError. The child prints the SHA-256 of what it read.
 */
class BoundedMemoryTest {
    private static final long SIZE = 128L << 20;

    @Test
    void aLargeObjectIsStreamedWithASmallHeap() throws Exception {
        try (FileServer server = new FileServer()) {
            URI uri = server.put("large.img", new byte[0]);
            Path file = Path.of(server.root().toString(), "large.img");
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(5);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long written = 0; written < SIZE; written += chunk.length) {
                    random.nextBytes(chunk);
                    expected.update(chunk);
                    out.write(chunk);
                }
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx32m", "-cp",
                    System.getProperty("java.class.path"), Reader.class.getName(), uri.toString()))
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes()).trim();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("child output: %s", output).isZero();
            assertThat(output).endsWith("sha256=" + HexFormat.of().formatHex(expected.digest()) + " bytes=" + SIZE);
        }
    }

    /** The child: reads the whole object and a tail range through the store, hashing the whole read. */
    public static final class Reader {
        public static void main(String[] args) throws Exception {
            URI uri = URI.create(args[0]);
            try (Store store = TestStores.store()) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long count;
                try (InputStream in = new DigestInputStream(store.get(store.location(uri), ByteRange.all()), digest)) {
                    count = in.transferTo(OutputStream.nullOutputStream());
                }
                try (InputStream tail = store.get(store.location(uri), ByteRange.from(SIZE - (64L << 20)))) {
                    if (tail.transferTo(OutputStream.nullOutputStream()) != 64L << 20) {
                        throw new AssertionError("tail range has the wrong length");
                    }
                }
                System.out.println("max heap " + Runtime.getRuntime().maxMemory() + " sha256="
                        + HexFormat.of().formatHex(digest.digest()) + " bytes=" + count);
            }
        }
    }
}
