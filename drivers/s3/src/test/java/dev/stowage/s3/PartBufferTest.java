package dev.stowage.s3;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/** Part buffers hold exactly what was read, in chunks, and replay it as often as the SDK asks. */
class PartBufferTest {
    private static final int CHUNK = PartBuffer.CHUNK_SIZE;

    @Test
    void aBufferReplaysExactlyTheBytesItWasFilledWith() {
        qt().withExamples(200).forAll(integers().between(0, 3 * CHUNK + 7), integers().between(1, 3 * CHUNK + 7),
                integers().between(1, CHUNK)).checkAssert((size, limit, firstChunk) -> {
            byte[] data = TestData.bytes(size, size);
            PartReader reader = new PartReader(new ByteArrayInputStream(data));
            PartBuffer buffer = new PartBuffer(new PartBuffer.Pool(8));
            try {
                long filled = buffer.fill(reader, limit, firstChunk);
                assertThat(filled).isEqualTo(Math.min(size, limit));
                assertThat(buffer.length()).isEqualTo(filled);
                byte[] expected = Arrays.copyOf(data, (int) filled);
                assertThat(readAll(buffer.stream())).isEqualTo(expected);
                assertThat(readAll(buffer.stream())).as("a second stream (an SDK retry)").isEqualTo(expected);
                assertThat(reader.atEnd()).isEqualTo(size <= limit);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void fillingAgainAppendsAndReleaseReusesFullChunks() throws IOException {
        byte[] data = TestData.bytes(2 * CHUNK + 10, 1);
        PartReader reader = new PartReader(new ByteArrayInputStream(data));
        PartBuffer.Pool pool = new PartBuffer.Pool(8);
        PartBuffer buffer = new PartBuffer(pool);

        buffer.fill(reader, CHUNK + 5, CHUNK);
        buffer.fill(reader, 2 * CHUNK + 10, CHUNK);

        assertThat(readAll(buffer.stream())).isEqualTo(data);
        buffer.release();
        assertThat(buffer.length()).isZero();
        byte[] reused = pool.take(CHUNK);
        assertThat(pool.take(CHUNK)).isNotSameAs(reused);
        assertThat(pool.take(10)).hasSize(10);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        // odd read sizes cross chunk boundaries at every offset
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] scratch = new byte[7919];
        int n;
        while ((n = in.read(scratch, 0, 1 + out.size() % scratch.length)) >= 0) {
            out.write(scratch, 0, n);
        }
        return out.toByteArray();
    }
}
