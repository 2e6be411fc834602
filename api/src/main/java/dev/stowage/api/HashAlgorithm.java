package dev.stowage.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Multihash algorithms, named as glance's {@code hashing_algorithm} names them. */
public enum HashAlgorithm {
    SHA1("sha1", "SHA-1"),
    SHA224("sha224", "SHA-224"),
    SHA256("sha256", "SHA-256"),
    SHA384("sha384", "SHA-384"),
    SHA512("sha512", "SHA-512"),
    SHA3_256("sha3_256", "SHA3-256"),
    SHA3_384("sha3_384", "SHA3-384"),
    SHA3_512("sha3_512", "SHA3-512");

    private final String id;
    private final String jcaName;

    HashAlgorithm(String id, String jcaName) {
        this.id = id;
        this.jcaName = jcaName;
    }

    /** The name used in configuration and results, e.g. {@code sha512}. */
    public String id() {
        return id;
    }

    /** A fresh digest for this algorithm. */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks " + jcaName, e);
        }
    }

    /** Length of the digest in hex characters. */
    public int hexLength() {
        return newDigest().getDigestLength() * 2;
    }

    /**
     * The algorithm with this name ({@code sha512}, {@code SHA-512} and {@code sha3-256} style names are accepted).
     *
     * @throws IllegalArgumentException naming the value and the known names
     */
    public static HashAlgorithm fromId(String name) {
        if (name != null) {
            String normal = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            for (HashAlgorithm algorithm : values()) {
                if (algorithm.id.replace("_", "").equals(normal)) {
                    return algorithm;
                }
            }
        }
        throw new IllegalArgumentException("unknown hash algorithm '" + name + "' (known: "
                + Arrays.stream(values()).map(HashAlgorithm::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
