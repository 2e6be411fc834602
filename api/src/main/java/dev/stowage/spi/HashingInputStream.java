package dev.stowage.spi;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Multihash;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Computes the legacy MD5 and a multihash of every byte read through it, and counts them (rule S2). Drivers wrap the
 * caller's data in this (usually around a {@link SizeEnforcingInputStream}) and read the digests once the data is
 * consumed. Marks are not supported. Not thread-safe (one writer reads it).
 */
public final class HashingInputStream extends FilterInputStream {
    private final MessageDigest md5;
    private final MessageDigest multihash;
    private final HashAlgorithm algorithm;
    private long count;

    public HashingInputStream(InputStream in, HashAlgorithm algorithm) {
        super(requireNonNull(in, "in is null"));
        this.algorithm = requireNonNull(algorithm, "algorithm is null");
        this.md5 = newMd5();
        this.multihash = algorithm.newDigest();
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks MD5", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            md5.update((byte) b);
            multihash.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            md5.update(buffer, offset, n);
            multihash.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes must be hashed too, so read them
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 0))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** Hex MD5 of the bytes read so far (the digest is not reset). */
    public String md5Hex() {
        return HexFormat.of().formatHex(clone(md5).digest());
    }

    /** Multihash of the bytes read so far (the digest is not reset). */
    public Multihash multihash() {
        return Multihash.of(algorithm, clone(multihash).digest());
    }

    private static MessageDigest clone(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("digest " + digest.getAlgorithm() + " cannot be cloned", e);
        }
    }
}
