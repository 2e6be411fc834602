package dev.stowage.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Test data: deterministic random bytes and their digests. */
final class Bytes {
    private Bytes() {
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long value = random.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                data[i + j] = (byte) (value >>> (8 * j));
            }
        }
        return data;
    }

    static String sha512(byte[] data) {
        return hex("SHA-512", data, 0, data.length);
    }

    static String md5(byte[] data) {
        return hex("MD5", data, 0, data.length);
    }

    static String hex(String algorithm, byte[] data, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            digest.update(data, offset, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the stream to its end (closing it) and returns the SHA-512 of what it gave. */
    static String sha512(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            byte[] buffer = new byte[64 << 10];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] slice(byte[] data, long offset, long length) {
        byte[] part = new byte[(int) length];
        System.arraycopy(data, (int) offset, part, 0, (int) length);
        return part;
    }

    /**
     * A stream of {@code data} that fails with an {@link IOException} once {@code failAt} bytes were delivered (a
     * client connection reset at that offset).
     */
    static InputStream failingAt(byte[] data, long failAt) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position >= failAt) {
                    throw new IOException("connection reset by peer (injected at byte " + failAt + ")");
                }
                int n = (int) Math.min(length, Math.min(failAt, data.length) - position);
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(data, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }
}
