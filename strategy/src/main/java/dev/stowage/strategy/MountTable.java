package dev.stowage.strategy;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.internal.Suggestions;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The client's view of shared file systems: file system id to local mountpoint (the idea of nova's
 * {@code [image_file_url] filesystems}). The file store stamps each location with its file system's {@code id} and
 * {@code mountpoint} (location metadata); for a {@code file:} location whose id is in this table,
 * {@link #localPath(Location)} rewrites the path from the store's mountpoint to the local one.
 *
 * <p>Paths are compared as {@link Path}s, component by component, after normalisation: trailing slashes and
 * {@code .} do not matter, {@code /mnt/images} is not a prefix of {@code /mnt/images2}, and a location whose path
 * leaves the store's mountpoint (for example through {@code ..}) is refused.
 *
 * <p>Configuration ({@link #fromConfig(Map)}), one entry per file system, {@code <name>} a free label:
 * <pre>
 * stowage.direct.&lt;name&gt;.id=&lt;file system id, as in the store's metadata&gt;
 * stowage.direct.&lt;name&gt;.mountpoint=&lt;absolute local path where it is mounted&gt;
 * </pre>
 * Immutable and safe for concurrent use.
 */
public final class MountTable {
    /** Prefix of the configuration keys read by {@link #fromConfig(Map)}. */
    public static final String PREFIX = "stowage.direct.";
    /** The location metadata key holding the file system id. */
    public static final String ID_METADATA = "id";
    /** The location metadata key holding the store-side mountpoint. */
    public static final String MOUNTPOINT_METADATA = "mountpoint";

    private static final MountTable EMPTY = new MountTable(Map.of());
    private static final List<String> ENTRY_KEYS = List.of("id", "mountpoint");
    private static final Set<String> FILE_SCHEMES = Set.of("file", "filesystem");

    private final Map<String, Path> mounts;

    private MountTable(Map<String, Path> mounts) {
        this.mounts = mounts;
    }

    /** A table with no mounts: every location is streamed. */
    public static MountTable empty() {
        return EMPTY;
    }

    /**
     * A table from file system id to local mountpoint.
     *
     * @throws IllegalArgumentException for a blank id or a relative mountpoint
     */
    public static MountTable of(Map<String, Path> mounts) {
        requireNonNull(mounts, "mounts is null");
        Map<String, Path> copy = new TreeMap<>();
        mounts.forEach((id, mountpoint) -> {
            requireNonNull(id, "id is null");
            requireNonNull(mountpoint, "mountpoint of " + id + " is null");
            if (id.isBlank()) {
                throw new IllegalArgumentException("a file system id is blank");
            }
            if (!mountpoint.isAbsolute()) {
                throw new IllegalArgumentException("mountpoint " + mountpoint + " of file system " + id
                        + " is not absolute");
            }
            copy.put(id, mountpoint.normalize());
        });
        return new MountTable(java.util.Collections.unmodifiableMap(copy));
    }

    /**
     * Reads the {@code stowage.direct.<name>.id} and {@code stowage.direct.<name>.mountpoint} entries from
     * {@code config}; keys outside {@code stowage.direct.} are ignored.
     *
     * @throws ConfigurationException naming the key for an unknown key under {@code stowage.direct.}, an entry without
     *                                id or mountpoint, a relative mountpoint, or an id given by two entries
     */
    public static MountTable fromConfig(Map<String, String> config) {
        requireNonNull(config, "config is null");
        Map<String, Map<String, String>> entries = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(config).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.lastIndexOf('.');
            String name = dot > 0 ? rest.substring(0, dot) : "";
            String field = rest.substring(dot + 1);
            if (name.isEmpty() || name.contains(".") || !ENTRY_KEYS.contains(field)) {
                throw new ConfigurationException(key, "Cannot configure direct access: unknown key " + key
                        + " (expected " + PREFIX + "<name>.id and " + PREFIX + "<name>.mountpoint)"
                        + (ENTRY_KEYS.contains(field) ? "" : Suggestions.hint(field, ENTRY_KEYS)));
            }
            entries.computeIfAbsent(name, n -> new TreeMap<>()).put(field, entry.getValue().trim());
        }
        Map<String, Path> mounts = new LinkedHashMap<>();
        Map<String, String> entryOfId = new TreeMap<>();
        entries.forEach((name, fields) -> {
            String idKey = PREFIX + name + ".id";
            String mountKey = PREFIX + name + ".mountpoint";
            String id = fields.get("id");
            String mountpoint = fields.get("mountpoint");
            if (id == null || id.isEmpty()) {
                throw new ConfigurationException(idKey, "Cannot configure direct access " + name + ": " + idKey
                        + " is missing or blank");
            }
            if (mountpoint == null || mountpoint.isEmpty()) {
                throw new ConfigurationException(mountKey, "Cannot configure direct access " + name + ": "
                        + mountKey + " is missing or blank");
            }
            Path path;
            try {
                path = Path.of(mountpoint);
            } catch (InvalidPathException e) {
                throw new ConfigurationException(mountKey, "Cannot configure direct access " + name + ": "
                        + mountKey + "='" + mountpoint + "' is not a path: " + e.getReason(), e);
            }
            if (!path.isAbsolute()) {
                throw new ConfigurationException(mountKey, "Cannot configure direct access " + name + ": "
                        + mountKey + "='" + mountpoint + "' is not an absolute path");
            }
            String other = entryOfId.putIfAbsent(id, name);
            if (other != null) {
                throw new ConfigurationException(idKey, "Cannot configure direct access " + name + ": file system id '"
                        + id + "' is also given by " + PREFIX + other + ".id");
            }
            mounts.put(id, path);
        });
        return of(mounts);
    }

    /** As {@link #fromConfig(Map)}, from properties (string keys and values). */
    public static MountTable fromProperties(Properties properties) {
        requireNonNull(properties, "properties is null");
        Map<String, String> config = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            config.put(key, properties.getProperty(key));
        }
        return fromConfig(config);
    }

    /** File system id to normalised local mountpoint. */
    public Map<String, Path> mounts() {
        return mounts;
    }

    public boolean isEmpty() {
        return mounts.isEmpty();
    }

    /**
     * The local path of a {@code file:} location on a mounted file system: its path relative to the store's
     * {@code mountpoint} metadata, resolved against the local mountpoint of its {@code id}. Empty when the location is
     * not a {@code file:}/{@code filesystem:} location, has no {@code id} or {@code mountpoint} metadata, or its id is
     * not in this table. The file system is not touched.
     *
     * @throws InvalidLocationException when the location claims a mounted file system but its path is not inside the
     *                                  store's mountpoint (or is the mountpoint itself)
     */
    public Optional<Path> localPath(Location location) {
        Resolution resolution = resolve(location);
        if (resolution.refused()) {
            throw new InvalidLocationException("Cannot access " + location.uri() + " directly: "
                    + resolution.reason());
        }
        return Optional.ofNullable(resolution.path());
    }

    /** How {@link #resolve} treated a location: a local path, or why there is none (refused: unsafe, not absent). */
    record Resolution(Path path, Path mountpoint, String reason, boolean refused) {
        static Resolution found(Path path, Path mountpoint, String reason) {
            return new Resolution(path, mountpoint, reason, false);
        }

        static Resolution none(String reason) {
            return new Resolution(null, null, reason, false);
        }

        static Resolution refuse(String reason) {
            return new Resolution(null, null, reason, true);
        }
    }

    Resolution resolve(Location location) {
        requireNonNull(location, "location is null");
        if (!FILE_SCHEMES.contains(location.scheme())) {
            return Resolution.none("not a file location");
        }
        String id = location.metadata().get(ID_METADATA);
        if (id == null) {
            return Resolution.none("the location has no file system id in its metadata");
        }
        Path localMount = mounts.get(id);
        if (localMount == null) {
            return Resolution.none("no local mount for file system id '" + id + "'");
        }
        String storeMountText = location.metadata().get(MOUNTPOINT_METADATA);
        if (storeMountText == null || storeMountText.isBlank()) {
            return Resolution.none("the location has no mountpoint in its metadata");
        }
        URI uri = location.uri();
        String authority = uri.getRawAuthority();
        if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
            return Resolution.refuse("the URI names host '" + authority + "', not this machine");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getPath() == null) {
            return Resolution.refuse("a file location has a plain path, without query or fragment");
        }
        Path storePath;
        Path storeMount;
        try {
            storePath = Path.of(new URI("file", null, uri.getPath(), null)).normalize();
            storeMount = Path.of(storeMountText.trim()).normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            // InvalidPathException is an IllegalArgumentException
            return Resolution.refuse("the path or the store's mountpoint '" + storeMountText + "' is not valid: "
                    + e.getMessage());
        }
        if (!storeMount.isAbsolute()) {
            return Resolution.refuse("the store's mountpoint '" + storeMountText + "' is not absolute");
        }
        if (!storePath.startsWith(storeMount) || storePath.equals(storeMount)) {
            return Resolution.refuse("the path " + storePath + " is not inside the store's mountpoint "
                    + storeMount);
        }
        Path local = localMount.resolve(storeMount.relativize(storePath)).normalize();
        if (!local.startsWith(localMount) || local.equals(localMount)) {
            return Resolution.refuse("the rewritten path " + local + " leaves the local mountpoint " + localMount);
        }
        return Resolution.found(local, localMount, "rewritten from " + storeMount + " to " + localMount);
    }

    @Override
    public String toString() {
        return "MountTable" + mounts;
    }
}
