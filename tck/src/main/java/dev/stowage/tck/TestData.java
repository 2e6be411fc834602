package dev.stowage.tck;

import dev.stowage.api.HashAlgorithm;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Object contents for the kit, made from a seed without holding them: byte {@code p} of the object with seed {@code s}
 * is computed from {@code (s, p)} alone, so any slice can be produced again to compare a read against (bounded memory
 * whatever the object size).
 */
final class TestData {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    static final int BUFFER = 64 * 1024;

    private TestData() {
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code buffer[offset, offset+length)} with the bytes of object {@code seed} from {@code position}. */
    static void fill(long seed, long position, byte[] buffer, int offset, int length) {
        int i = 0;
        while (i < length) {
            long p = position + i;
            long word = mix(seed + (p >>> 3) * GOLDEN);
            for (int k = (int) (p & 7); k < 8 && i < length; k++, i++) {
                buffer[offset + i] = (byte) (word >>> (k << 3));
            }
        }
    }

    /** The bytes {@code [position, position+length)} of object {@code seed}. */
    static byte[] bytes(long seed, long position, int length) {
        byte[] out = new byte[length];
        fill(seed, position, out, 0, length);
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks SHA-256", e);
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks MD5", e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * The object's bytes as a stream of {@code size} bytes that also hashes what it delivers (SHA-256; MD5 and a
     * multihash too when an algorithm is given). Reads return fewer bytes than asked now and then, as network streams
     * do, so a store that assumes a read fills the buffer is caught.
     */
    static class Generated extends InputStream {
        final long seed;
        final long size;
        long position;
        private final MessageDigest sha256 = sha256();
        private final MessageDigest md5;
        private final MessageDigest multihash;
        private boolean closed;

        /** With MD5 and an {@code algorithm} multihash of what it delivers, for the add-result checks (S2). */
        Generated(long seed, long size, HashAlgorithm algorithm) {
            this.seed = seed;
            this.size = size;
            this.md5 = md5();
            this.multihash = algorithm.newDigest();
        }

        Generated(long seed, long size) {
            this.seed = seed;
            this.size = size;
            this.md5 = null;
            this.multihash = null;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("the kit's data stream was read after it was closed");
            }
            java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
            if (length == 0) {
                return 0;
            }
            long left = size - position;
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            // every fourth read is short (1 byte up to half the request): a read need not fill the buffer
            long r = mix(seed ^ position);
            if ((r & 3) == 0 && n > 1) {
                n = 1 + (int) ((r >>> 8) % Math.max(1, n / 2));
            }
            fill(seed, position, buffer, offset, n);
            sha256.update(buffer, offset, n);
            if (md5 != null) {
                md5.update(buffer, offset, n);
                multihash.update(buffer, offset, n);
            }
            position += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }

        boolean closed() {
            return closed;
        }

        /** Bytes delivered so far. */
        long delivered() {
            return position;
        }

        String sha256Hex() {
            return hex(clone(sha256).digest());
        }

        String md5Hex() {
            return hex(clone(md5).digest());
        }

        String multihashHex() {
            return hex(clone(multihash).digest());
        }

        private static MessageDigest clone(MessageDigest digest) {
            try {
                return (MessageDigest) digest.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A stream that throws {@link #failure} once {@code failAt} bytes were delivered. */
    static final class Failing extends Generated {
        final IOException failure;
        private final long failAt;

        Failing(long seed, long size, long failAt) {
            super(seed, size);
            this.failAt = failAt;
            this.failure = new IOException("stowage-tck: the caller's stream failed on purpose after " + failAt
                    + " bytes");
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= failAt) {
                throw failure;
            }
            return super.read(buffer, offset, (int) Math.min(length, failAt - position));
        }
    }

    /**
     * A stream that stops after {@code pauseAt} bytes until {@link #release()} is called, and reports through
     * {@link #awaitPaused} that the store has read that far.
     */
    static final class Pausing extends Generated {
        private final long pauseAt;
        private final CountDownLatch paused = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        Pausing(long seed, long size, long pauseAt) {
            super(seed, size);
            this.pauseAt = pauseAt;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position < pauseAt) {
                return super.read(buffer, offset, (int) Math.min(length, pauseAt - position));
            }
            paused.countDown();
            try {
                if (!released.await(10, TimeUnit.MINUTES)) {
                    throw new IOException("stowage-tck: the paused stream was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("stowage-tck: interrupted while paused", e);
            }
            return super.read(buffer, offset, length);
        }

        boolean awaitPaused(long timeout, TimeUnit unit) throws InterruptedException {
            return paused.await(timeout, unit);
        }

        void release() {
            released.countDown();
        }
    }

    /** What a read returned, compared with the expected slice of a generated object. */
    record ReadBack(long length, String sha256, long firstMismatch) {
        boolean matches(long expectedLength) {
            return length == expectedLength && firstMismatch < 0;
        }

        String describe(long expectedLength, String expectedSha256) {
            StringBuilder text = new StringBuilder("read ").append(length).append(" bytes (sha256 ").append(sha256)
                    .append("), expected ").append(expectedLength).append(" bytes (sha256 ").append(expectedSha256)
                    .append(")");
            if (firstMismatch >= 0) {
                text.append("; first differing byte at offset ").append(firstMismatch);
            }
            return text.toString();
        }
    }

    /**
     * Reads {@code in} to the end in bounded memory, comparing with bytes {@code [position, position+expectedLength)}
     * of object {@code seed} and hashing what was read.
     */
    static ReadBack readAndCompare(InputStream in, long seed, long position, long expectedLength) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        byte[] expected = new byte[BUFFER];
        long count = 0;
        long mismatch = -1;
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            if (n == 0) {
                continue;
            }
            digest.update(buffer, 0, n);
            if (mismatch < 0) {
                int comparable = (int) Math.max(0, Math.min(n, expectedLength - count));
                fill(seed, position + count, expected, 0, comparable);
                for (int i = 0; i < n; i++) {
                    if (i >= comparable || buffer[i] != expected[i]) {
                        mismatch = count + i;
                        break;
                    }
                }
            }
            count += n;
        }
        return new ReadBack(count, hex(digest.digest()), mismatch);
    }

    /** SHA-256 of bytes {@code [position, position+length)} of object {@code seed}. */
    static String sha256Of(long seed, long position, long length) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(buffer.length, length - done);
            fill(seed, position + done, buffer, 0, n);
            digest.update(buffer, 0, n);
            done += n;
        }
        return hex(digest.digest());
    }
}
