package org.example.stowage.cas;

import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.UnknownSchemeException;

import java.net.URI;

import static java.util.Objects.requireNonNull;

/**
 * A parsed {@code cas://<store id>/<image id>} location: the store (its {@code id} option) and the image. The content
 * an image holds is found through the image, so the location stays the same whatever was stored.
 */
record CasLocation(String storeId, String imageId) {
    /** Longer URIs are rejected before any parsing. */
    static final int MAX_URI_LENGTH = 1024;

    CasLocation {
        requireNonNull(storeId, "storeId is null");
        requireNonNull(imageId, "imageId is null");
    }

    URI uri() {
        return URI.create(CasStoreDriver.TYPE + "://" + storeId + "/" + imageId);
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
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(shown, "a location has no query or fragment; expected " + form(storeId));
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
        return new CasLocation(storeId, imageId);
    }

    private static String form(String storeId) {
        return CasStoreDriver.TYPE + "://" + storeId + "/<image id>";
    }

    private static InvalidLocationException invalid(String shown, String reason) {
        return new InvalidLocationException("Cannot use location " + shown + ": " + reason);
    }
}
