package dev.stowage.s3;

import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.UnknownSchemeException;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Makes and parses the locations of one S3 store (rule S9).
 *
 * <p>The store writes {@code s3://<bucket>/<key-prefix><image id>}. It also reads glance's legacy form
 * {@code s3[+http|+https]://[<access>:<secret>@]<host>[/<path>]/<bucket>/<key>}: the host must be the store's
 * endpoint host (an {@code amazonaws.com} host without an endpoint), the bucket the store's bucket, and the key an image
 * id at the bucket root (so the store must have no key prefix). The credentials are everything up to the last
 * {@code @} (a secret may hold {@code /}, which {@link URI} would take for the start of the path); they are dropped and
 * never shown: messages print {@code ***@} in their place.
 */
final class S3Locations {
    static final Set<String> SCHEMES = Set.of("s3", "s3+http", "s3+https");

    private final String storeName;
    private final String bucket;
    private final String keyPrefix;
    private final URI endpoint;

    S3Locations(String storeName, String bucket, String keyPrefix, URI endpoint) {
        this.storeName = requireNonNull(storeName, "storeName is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix is null");
        this.endpoint = endpoint;
    }

    /** The object key of an image id (already validated). */
    String key(String imageId) {
        return keyPrefix + imageId;
    }

    /** The location URI of an object key this store made. */
    URI uri(String key) {
        return URI.create("s3://" + bucket + "/" + key);
    }

    /**
     * The object key a URI names.
     *
     * @throws UnknownSchemeException   for a scheme other than s3, s3+http, s3+https
     * @throws InvalidLocationException for anything else that is not one of this store's objects
     */
    String parseKey(URI uri) {
        requireNonNull(uri, "uri is null");
        String text = uri.toString();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new UnknownSchemeException("Cannot use location " + redact(uri) + ": store " + storeName
                    + " handles schemes s3, s3+http and s3+https, not '" + (uri.getScheme() == null ? ""
                    : uri.getScheme()) + "'");
        }
        String afterScheme = text.substring(scheme.length() + 1);
        if (!afterScheme.startsWith("//")) {
            throw invalid(redact(uri), "expected s3://" + bucket + "/<key>");
        }
        String rest = afterScheme.substring(2);
        int at = rest.lastIndexOf('@');
        boolean credentials = at >= 0;
        if (credentials) {
            rest = rest.substring(at + 1);
        }
        String shown = scheme + "://" + (credentials ? "***@" : "") + rest;
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw invalid(shown, "a location has no query or fragment");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        if (scheme.equals("s3") && !credentials && authority.equals(bucket)) {
            String key = path.isEmpty() ? "" : path.substring(1);
            checkKey(shown, key);
            return key;
        }
        return parseLegacy(shown, authority, path);
    }

    private String parseLegacy(String shown, String authority, String path) {
        String[] segments = path.split("/", -1);
        // segments[0] is the empty text before the leading '/'
        if (segments.length < 3 || segments[segments.length - 2].isEmpty()) {
            throw invalid(shown, "expected s3://" + bucket + "/<key> (or glance's s3://<host>/<bucket>/<key>)");
        }
        String host = authority;
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (endpoint != null) {
            if (!host.equalsIgnoreCase(endpoint.getHost())) {
                throw invalid(shown, "it names S3 host '" + host + "' but store " + storeName + " uses "
                        + endpoint.getHost());
            }
        } else if (!host.equals("amazonaws.com") && !host.endsWith(".amazonaws.com")) {
            throw invalid(shown, "it names S3 host '" + host + "' but store " + storeName + " uses AWS S3");
        }
        String legacyBucket = segments[segments.length - 2];
        if (!legacyBucket.equals(bucket)) {
            throw invalid(shown, "it names bucket '" + legacyBucket + "' but store " + storeName + " uses bucket '"
                    + bucket + "'");
        }
        String key = segments[segments.length - 1];
        if (!keyPrefix.isEmpty()) {
            throw invalid(shown, "glance locations name objects at the bucket root but store " + storeName
                    + " keeps its objects under key prefix '" + keyPrefix + "'");
        }
        checkKey(shown, key);
        return key;
    }

    private void checkKey(String shown, String key) {
        if (!key.startsWith(keyPrefix)) {
            throw invalid(shown, "the key is outside the store's key prefix '" + keyPrefix + "'");
        }
        String imageId = key.substring(keyPrefix.length());
        if (!ImageIds.isValid(imageId)) {
            throw invalid(shown, "the key does not end in a valid image id (found " + ImageIds.quote(imageId) + ")");
        }
    }

    private static InvalidLocationException invalid(String shown, String reason) {
        return new InvalidLocationException("Cannot use location " + shown + ": " + reason);
    }

    /**
     * The URI as it may be shown: any user information (everything between {@code ://} and the last {@code @}) is
     * replaced by {@code ***}. Never throws.
     */
    static String redact(URI uri) {
        if (uri == null) {
            return "null";
        }
        String text = uri.toString();
        int start = text.indexOf("://");
        if (start < 0) {
            return text.indexOf('@') < 0 ? text : "***@" + text.substring(text.lastIndexOf('@') + 1);
        }
        int at = text.lastIndexOf('@');
        if (at < start) {
            return text;
        }
        return text.substring(0, start + 3) + "***@" + text.substring(at + 1);
    }
}
