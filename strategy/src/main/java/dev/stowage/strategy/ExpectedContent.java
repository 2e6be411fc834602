package dev.stowage.strategy;

import dev.stowage.api.Multihash;

import static java.util.Objects.requireNonNull;

/**
 * What the copied bytes must be: the image's size and multihash as the registry recorded them (glance's {@code size},
 * {@code os_hash_algo} and {@code os_hash_value}). {@link DirectAccess} verifies both on every copy, direct or
 * streamed.
 */
public record ExpectedContent(long size, Multihash multihash) {
    public ExpectedContent {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        requireNonNull(multihash, "multihash is null");
    }

    public static ExpectedContent of(long size, Multihash multihash) {
        return new ExpectedContent(size, multihash);
    }
}
