package dev.stowage.api;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Where one copy of an image lives: a URI of a store's scheme, the name of the store that made it (empty when the
 * location is not bound to a configured store) and the store's location metadata (rule S14, for example the file
 * store's {@code id} and {@code mountpoint}).
 *
 * <p>A location never carries credentials (rule S9): a URI with user information is rejected, so a location can be
 * logged, shown and stored as it is.
 */
public record Location(URI uri, String store, Map<String, String> metadata) {

    public Location {
        requireNonNull(uri, "uri is null");
        requireNonNull(store, "store is null");
        requireNonNull(metadata, "metadata is null");
        if (!uri.isAbsolute()) {
            throw new InvalidLocationException("Cannot use location " + redact(uri) + ": the URI has no scheme");
        }
        if (carriesUserInfo(uri)) {
            // do not echo the URI: its user info may hold a secret
            throw new InvalidLocationException("Cannot use location " + redact(uri)
                    + ": a location must not carry credentials (user info in the URI)");
        }
        metadata.forEach((key, value) -> {
            requireNonNull(key, "metadata key is null");
            requireNonNull(value, "metadata value is null");
        });
        metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** A location that is not bound to a configured store and has no metadata. */
    public static Location of(URI uri) {
        return new Location(uri, "", Map.of());
    }

    /** A location made by the named store, with the store's metadata. */
    public static Location of(URI uri, String store, Map<String, String> metadata) {
        return new Location(uri, store, metadata);
    }

    /** Whether the location names the store that made it. */
    public boolean hasStore() {
        return !store.isEmpty();
    }

    /** The URI's scheme in lower case. */
    public String scheme() {
        return uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    }

    /** The same location bound to another store name (used when a registry parses a URI for a named store). */
    public Location withStore(String storeName) {
        return new Location(uri, storeName, metadata);
    }

    /**
     * Whether the URI has user information. Besides {@link URI#getRawUserInfo()} this catches an authority the JDK
     * could not parse as user@host:port (then it keeps the whole authority as "registry based" and reports no user
     * info): any {@code @} in an authority ends user information.
     */
    private static boolean carriesUserInfo(URI uri) {
        String authority = uri.getRawAuthority();
        return uri.getRawUserInfo() != null || (authority != null && authority.contains("@"));
    }

    /**
     * The URI with any user information replaced by {@code ***}, for messages about URIs that were rejected or came
     * from outside. Everything between {@code //} and the last {@code @} before the query is masked: a secret that
     * holds {@code /} (AWS secrets may; glance's legacy S3 locations put them there) ends the authority for the JDK,
     * which then sees the rest of the secret as the path. A path that holds {@code @} is masked up to it as well,
     * which costs only detail in a message. Never throws.
     */
    public static String redact(URI uri) {
        if (uri == null) {
            return "null";
        }
        String raw = uri.toString();
        int start;
        if (raw.startsWith("//")) {
            start = 2;
        } else {
            int separator = raw.indexOf("://");
            if (separator < 0) {
                return raw;
            }
            start = separator + 3;
        }
        int end = raw.length();
        int query = raw.indexOf('?', start);
        if (query >= 0) {
            end = query;
        }
        int fragment = raw.indexOf('#', start);
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        int at = raw.lastIndexOf('@', end - 1);
        if (at < start) {
            return raw;
        }
        return raw.substring(0, start) + "***" + raw.substring(at);
    }

    @Override
    public String toString() {
        return uri + (store.isEmpty() ? "" : " (store " + store + ")");
    }
}
