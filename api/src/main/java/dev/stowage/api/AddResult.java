package dev.stowage.api;

import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * What {@code add} returns (rule S2): the location, the bytes written, the legacy MD5 checksum (hex) and the
 * multihash. The store's location metadata travels in {@link Location#metadata()}.
 */
public record AddResult(Location location, long bytesWritten, String md5, Multihash multihash) {

    public AddResult {
        requireNonNull(location, "location is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(multihash, "multihash is null");
        if (bytesWritten < 0) {
            throw new IllegalArgumentException("bytesWritten is negative: " + bytesWritten);
        }
        if (md5.length() != 32) {
            throw new IllegalArgumentException("md5 is not 32 hex characters: '" + md5 + "'");
        }
        HexFormat.of().parseHex(md5);
    }
}
