package dev.stowage.api;

import static java.util.Objects.requireNonNull;

/** Options of one {@code add}: for now the multihash algorithm (default {@code sha512}, as glance's). */
public record AddOptions(HashAlgorithm hashAlgorithm) {
    private static final AddOptions DEFAULTS = new AddOptions(HashAlgorithm.SHA512);

    public AddOptions {
        requireNonNull(hashAlgorithm, "hashAlgorithm is null");
    }

    public static AddOptions defaults() {
        return DEFAULTS;
    }

    public AddOptions withHashAlgorithm(HashAlgorithm algorithm) {
        return new AddOptions(algorithm);
    }
}
