package dev.stowage.bench.jmh;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.spi.HashingInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The hashing stream every add reads through (rule S2: legacy MD5 plus the multihash), against the same two
 * {@link MessageDigest}s updated directly over the same bytes in the same 64 KiB pieces (the baseline: what the
 * hashing costs by itself on one thread), and each digest alone (the bound for the two on two threads). One
 * operation hashes {@value #SIZE} bytes; the harness reports MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashingBenchmark {
    /**
     * Bytes hashed per operation: 16 MiB, well past the stream's inline limit, so the stream's two-thread mode (MD5 on
     * the digest pool) is what is measured.
     */
    public static final int SIZE = 16 << 20;
    private static final int CHUNK = 64 << 10;

    @Param({"sha256", "sha512"})
    public String algorithm;

    private byte[] data;
    private byte[] buffer;
    private HashAlgorithm hash;

    @Setup
    public void setUp() {
        data = new byte[SIZE];
        new SplittableRandom(42).nextBytes(data);
        buffer = new byte[CHUNK];
        hash = HashAlgorithm.fromId(algorithm);
    }

    /** Reads the bytes through {@link HashingInputStream} and takes both digests. */
    @Benchmark
    public void hashingStream(Blackhole blackhole) throws IOException {
        HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(data), hash);
        while (in.read(buffer, 0, buffer.length) >= 0) {
            // the stream hashes what passes
        }
        blackhole.consume(in.md5Hex());
        blackhole.consume(in.multihash());
        blackhole.consume(in.count());
    }

    /** Baseline: MD5 and the multihash digest updated directly, no stream. */
    @Benchmark
    public void messageDigest(Blackhole blackhole) throws NoSuchAlgorithmException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        MessageDigest multihash = hash.newDigest();
        for (int offset = 0; offset < SIZE; offset += CHUNK) {
            int n = Math.min(CHUNK, SIZE - offset);
            md5.update(data, offset, n);
            multihash.update(data, offset, n);
        }
        blackhole.consume(md5.digest());
        blackhole.consume(multihash.digest());
    }

    /** MD5 alone. */
    @Benchmark
    public byte[] md5Only() throws NoSuchAlgorithmException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int offset = 0; offset < SIZE; offset += CHUNK) {
            md5.update(data, offset, Math.min(CHUNK, SIZE - offset));
        }
        return md5.digest();
    }

    /** The multihash digest alone. */
    @Benchmark
    public byte[] multihashOnly() {
        MessageDigest multihash = hash.newDigest();
        for (int offset = 0; offset < SIZE; offset += CHUNK) {
            multihash.update(data, offset, Math.min(CHUNK, SIZE - offset));
        }
        return multihash.digest();
    }
}
