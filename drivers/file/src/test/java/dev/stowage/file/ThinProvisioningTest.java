package dev.stowage.file;

import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.stowage.file.TestStores.add;
import static dev.stowage.file.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** With thin provisioning, all-zero chunks become holes; the bytes read back are the same. */
class ThinProvisioningTest {
    private static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    /** data, 30 zero chunks, data, 30 zero chunks (a trailing hole). */
    private static byte[] sparseImage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = TestStores.bytes(CHUNK, 1);
        out.writeBytes(data);
        out.writeBytes(new byte[30 * CHUNK]);
        out.writeBytes(data);
        out.writeBytes(new byte[30 * CHUNK]);
        return out.toByteArray();
    }

    @Test
    void zeroChunksBecomeHolesAndReadBackAsZeros() throws Exception {
        byte[] image = sparseImage();
        long thinBlocks;
        long thickBlocks;
        try (FileStore thin = TestStores.open(dir.resolve("thin"), "thin-provisioning", "true");
             FileStore thick = TestStores.open(dir.resolve("thick"))) {
            AddResult sparse = add(thin, "img", image);
            AddResult dense = add(thick, "img", image);
            assertThat(sparse.multihash()).isEqualTo(dense.multihash());
            assertThat(sparse.bytesWritten()).isEqualTo(image.length);
            assertThat(thin.size(sparse.location())).isEqualTo(image.length);
            assertThat(read(thin.get(sparse.location(), ByteRange.all()))).isEqualTo(image);
            assertThat(read(thin.get(sparse.location(), ByteRange.from(image.length - 10)))).containsOnly(0);
            thinBlocks = allocatedBytes(dir.resolve("thin/img"));
            thickBlocks = allocatedBytes(dir.resolve("thick/img"));
        }
        assumeTrue(thickBlocks >= image.length, "the file system does not allocate dense files fully");
        // two data chunks plus the one block that sets the length, and file-system slack
        assertThat(thinBlocks).isLessThanOrEqualTo(2L * CHUNK + 64 * 1024);
        assertThat(Arrays.equals(Files.readAllBytes(dir.resolve("thin/img")), image)).isTrue();
    }

    /** Bytes the file system allocated for the file ({@code stat %b * %B}). */
    static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        assertThat(stat.waitFor()).isZero();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
