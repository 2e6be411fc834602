package dev.stowage.api;

import java.util.HexFormat;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** A digest of an object's bytes: the algorithm and the lower-case hex value (glance's {@code os_hash_value}). */
public record Multihash(HashAlgorithm algorithm, String hex) {

    public Multihash {
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(hex, "hex is null");
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() != algorithm.hexLength() || !hex.chars().allMatch(Multihash::isHexDigit)) {
            throw new IllegalArgumentException("not a " + algorithm.id() + " hex digest: '" + hex + "'");
        }
    }

    /** A multihash from raw digest bytes. */
    public static Multihash of(HashAlgorithm algorithm, byte[] digest) {
        return new Multihash(algorithm, HexFormat.of().formatHex(digest));
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }
}
