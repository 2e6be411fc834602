package dev.stowage.s3;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Test data: reproducible bytes, digests, and streams that fail or act at a given byte. */
final class TestData {
    static final int MIB = 1 << 20;

    private TestData() {
    }

    /** {@code size} pseudo-random bytes from {@code seed}. */
    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String md5Hex(byte[] data) {
        return HexFormat.of().formatHex(digest("MD5", data));
    }

    static String sha512Hex(byte[] data) {
        return HexFormat.of().formatHex(digest("SHA-512", data));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The data, then an {@link IOException} once {@code failAt} bytes were delivered. */
    static InputStream failingAt(byte[] data, long failAt) {
        return new Trigger(new ByteArrayInputStream(data), failAt, () -> {
            throw new IOException("simulated source failure after " + failAt + " bytes");
        });
    }

    /** The data; {@code action} runs once, when {@code at} bytes were delivered. */
    static InputStream actingAt(byte[] data, long at, IoAction action) {
        return new Trigger(new ByteArrayInputStream(data), at, action);
    }

    /** Something a stream does at a given byte. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    private static final class Trigger extends FilterInputStream {
        private final long at;
        private final IoAction action;
        private long position;
        private boolean done;

        Trigger(InputStream in, long at, IoAction action) {
            super(in);
            this.at = at;
            this.action = action;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!done && position >= at) {
                done = true;
                action.run();
            }
            int limit = done ? length : (int) Math.min(length, at - position);
            int n = in.read(buffer, offset, limit);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }
}
