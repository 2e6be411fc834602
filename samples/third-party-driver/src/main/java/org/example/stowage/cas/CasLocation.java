package org.example.stowage.cas;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.UnknownSchemeException;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A parsed {@code cas://<store id>/<image id>?<algorithm>=<hex digest>} location. The image id names the object; the
 * digest names the shared content, so that deleting the last image of a content also removes the content.
 */
record CasLocation(String storeId, String imageId, Multihash digest) {
    /** Longer URIs are rejected before any parsing. */
    static final int MAX_URI_LENGTH = 1024;

    CasLocation {
        requireNonNull(storeId, "storeId is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(digest, "digest is null");
    }

    URI uri() {
        return URI.create(CasStoreDriver.TYPE + "://" + storeId + "/" + imageId + "?" + digest.algorithm().id() + "="
                + digest.hex());
    }

    /** The location of an image before its digest is known, for messages about an add. */
    static String describe(String storeId, String imageId) {
        return CasStoreDriver.TYPE + "://" + storeId + "/" + imageId;
    }

    /**
     * Parses a location of the store {@code storeId}.
     *
     * @throws UnknownSchemeException   for a scheme other than {@code cas}
     * @throws InvalidLocationException for anything else that is not a location of this store
     */
    static CasLocation parse(URI uri, String storeId, String storeName) {
        requireNonNull(uri, "uri is null");
        String shown = Location.redact(uri);
        if (uri.toString().length() > MAX_URI_LENGTH) {
            throw invalid(shown.substring(0, 80) + "...", "the URI is longer than " + MAX_URI_LENGTH + " characters");
        }
        if (uri.getScheme() == null || !CasStoreDriver.TYPE.equalsIgnoreCase(uri.getScheme())) {
            throw new UnknownSchemeException("Cannot use location " + shown + ": store " + storeName
                    + " handles scheme " + CasStoreDriver.TYPE + ", not " + uri.getScheme());
        }
        if (uri.isOpaque()) {
            throw invalid(shown, "expected " + form(storeId));
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(shown, "a location must not carry credentials (user info in the URI)");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || !authority.equalsIgnoreCase(storeId)) {
            throw invalid(shown, "it belongs to cas store '" + (authority == null ? "" : authority)
                    + "', this store is '" + storeId + "'");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(shown, "a location has no fragment; expected " + form(storeId));
        }
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/") || path.indexOf('/', 1) >= 0) {
            throw invalid(shown, "expected " + form(storeId));
        }
        // raw: an escaped character (%2F, %00, ...) is never part of a valid id
        String imageId = path.substring(1);
        if (!ImageIds.isValid(imageId)) {
            throw invalid(shown, "the path is not a valid image id " + ImageIds.quote(imageId));
        }
        return new CasLocation(storeId, imageId, digest(uri, shown, storeId));
    }

    private static Multihash digest(URI uri, String shown, String storeId) {
        String query = uri.getRawQuery();
        int equals = query == null ? -1 : query.indexOf('=');
        if (equals < 0) {
            throw invalid(shown, "the content digest is missing; expected " + form(storeId));
        }
        String name = query.substring(0, equals);
        String hex = query.substring(equals + 1);
        HashAlgorithm algorithm = Arrays.stream(HashAlgorithm.values()).filter(a -> a.id().equals(name)).findFirst()
                .orElseThrow(() -> invalid(shown, "unknown digest algorithm '" + name + "' (known: "
                        + Arrays.stream(HashAlgorithm.values()).map(HashAlgorithm::id)
                        .collect(Collectors.joining(", ")) + ")"));
        if (hex.length() != algorithm.hexLength() || !hex.equals(hex.toLowerCase(Locale.ROOT))) {
            throw invalid(shown, "the digest is not " + algorithm.hexLength() + " lower-case hex digits");
        }
        try {
            return new Multihash(algorithm, hex);
        } catch (IllegalArgumentException e) {
            throw invalid(shown, "the digest is not " + algorithm.hexLength() + " lower-case hex digits");
        }
    }

    private static String form(String storeId) {
        return CasStoreDriver.TYPE + "://" + storeId + "/<image id>?<algorithm>=<hex digest>";
    }

    private static InvalidLocationException invalid(String shown, String reason) {
        return new InvalidLocationException("Cannot use location " + shown + ": " + reason);
    }
}
