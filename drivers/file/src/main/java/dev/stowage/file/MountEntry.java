package dev.stowage.file;

import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One file system as glance's metadata file describes it: its {@code id} and where it is mounted on this host.
 * Stamped on locations as {@code {id, mountpoint}} (rule S14).
 */
record MountEntry(String id, Path mountpoint) {
    static final String ID = "id";
    static final String MOUNTPOINT = "mountpoint";

    MountEntry {
        requireNonNull(id, "id is null");
        requireNonNull(mountpoint, "mountpoint is null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        if (!mountpoint.isAbsolute()) {
            throw new IllegalArgumentException("mountpoint " + mountpoint + " is not an absolute path");
        }
        mountpoint = mountpoint.normalize();
    }

    /** Whether {@code directory} (absolute, normalised) lies on this mount, compared path element by element. */
    boolean contains(Path directory) {
        return directory.startsWith(mountpoint);
    }

    /** The location metadata. */
    Map<String, String> metadata() {
        return Map.of(ID, id, MOUNTPOINT, mountpoint.toString());
    }
}
