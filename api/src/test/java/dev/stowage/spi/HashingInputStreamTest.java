package dev.stowage.spi;

import dev.stowage.api.HashAlgorithm;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The digests of {@link HashingInputStream} on one thread and on two (the MD5 in blocks on the digest pool) against
 * {@link MessageDigest} over the same bytes, for sizes around the inline limit and the block size and for any way of
 * reading (any read lengths, single bytes, skips, digests taken part way).
 */
class HashingInputStreamTest {
    private static final int LIMIT = HashingInputStream.INLINE_BYTES;
    private static final int BLOCK = HashingInputStream.BLOCK_SIZE;
    private static final byte[] DATA = random(LIMIT + 5 * BLOCK + 12_345, 7);

    @Test
    void bothModesGiveTheDigestsOfTheBytesForAnySizeAndAnyReads() {
        qt().withFixedSeed(20261123L).withExamples(150)
                .forAll(integers().between(0, DATA.length), integers().between(1, 3 * BLOCK), longs().all(),
                        integers().between(0, 1))
                .checkAssert((size, maxRead, readSeed, mode) -> {
                    boolean parallel = mode == 1;
                    try (HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(DATA, 0, size),
                            HashAlgorithm.SHA512, parallel)) {
                        readInVaryingPieces(in, maxRead, new SplittableRandom(readSeed));
                        assertThat(in.count()).isEqualTo((long) size);
                        assertThat(in.md5Hex()).as("MD5 of %d bytes, parallel %s", size, parallel)
                                .isEqualTo(hex("MD5", size));
                        assertThat(in.multihash().hex()).as("SHA-512 of %d bytes, parallel %s", size, parallel)
                                .isEqualTo(hex("SHA-512", size));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void sizesAtTheBoundariesGiveTheDigestsOfTheBytes() throws IOException {
        int[] sizes = {0, 1, LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + BLOCK - 1, LIMIT + BLOCK, LIMIT + BLOCK + 1,
            LIMIT + 2 * BLOCK, DATA.length};
        for (int size : sizes) {
            for (int read : new int[] {1, 8192, BLOCK, 3 * BLOCK + 1}) {
                try (HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(DATA, 0, size),
                        HashAlgorithm.SHA256, true)) {
                    byte[] buffer = new byte[read];
                    while (in.read(buffer, 0, read) >= 0) {
                        // hashed as it passes
                    }
                    assertThat(in.md5Hex()).as("MD5 of %d bytes read %d at a time", size, read)
                            .isEqualTo(hex("MD5", size));
                    assertThat(in.multihash().hex()).isEqualTo(hex("SHA-256", size));
                }
            }
        }
    }

    @Test
    void digestsTakenPartWayAreOfTheBytesReadSoFarAndReadingGoesOn() throws IOException {
        try (HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(DATA), HashAlgorithm.SHA512,
                true)) {
            int[] stops = {100, LIMIT + 10, LIMIT + 3 * BLOCK + 7, DATA.length};
            int at = 0;
            for (int stop : stops) {
                at += in.readNBytes(stop - at).length;
                assertThat(at).isEqualTo(stop);
                assertThat(in.count()).isEqualTo(stop);
                assertThat(in.md5Hex()).as("MD5 after %d bytes", stop).isEqualTo(hex("MD5", stop));
                assertThat(in.multihash().hex()).isEqualTo(hex("SHA-512", stop));
            }
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.md5Hex()).isEqualTo(hex("MD5", DATA.length));
        }
    }

    @Test
    void theMd5OfALargeInputIsComputedOnTheDigestPoolWhenThereAreTwoProcessors() throws IOException {
        assumeThat(Runtime.getRuntime().availableProcessors()).as("processors").isGreaterThan(1);
        long before = HashingInputStream.blocksHashedByThePool();
        try (HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(DATA), HashAlgorithm.SHA512)) {
            in.transferTo(OutputStream.nullOutputStream());
            assertThat(in.md5Hex()).isEqualTo(hex("MD5", DATA.length));
        }
        // DATA is the inline limit plus five blocks and a bit: up to five blocks can go to the pool
        assertThat(HashingInputStream.blocksHashedByThePool() - before).as("blocks hashed on pool threads")
                .isBetween(1L, 5L);
    }

    @Test
    void aSmallInputNeverLeavesTheReadingThread() throws IOException {
        // below the inline limit nothing is copied or handed over, so this passes whatever the pool is doing
        try (HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(DATA, 0, LIMIT),
                HashAlgorithm.SHA512, true)) {
            in.transferTo(OutputStream.nullOutputStream());
            assertThat(in.md5Hex()).isEqualTo(hex("MD5", LIMIT));
        }
    }

    private static void readInVaryingPieces(InputStream in, int maxRead, SplittableRandom random)
            throws IOException {
        byte[] buffer = new byte[maxRead];
        while (true) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                if (in.read() < 0) {
                    return;
                }
            } else if (kind == 1) {
                long skip = random.nextInt(maxRead) + 1;
                if (in.skip(skip) < skip) {
                    assertThat(in.read()).isEqualTo(-1);
                    return;
                }
            } else {
                int length = random.nextInt(maxRead) + 1;
                if (in.read(buffer, 0, length) < 0) {
                    return;
                }
            }
        }
    }

    private static String hex(String algorithm, int size) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            digest.update(DATA, 0, size);
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
