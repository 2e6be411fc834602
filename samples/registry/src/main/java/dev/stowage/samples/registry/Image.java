package dev.stowage.samples.registry;

import dev.stowage.api.Location;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** An image record as the registry keeps it (a subset of Glance's v2 image). */
record Image(String id, String name, String diskFormat, String containerFormat, Status status, Long size,
             String checksum, String hashAlgorithm, String hashValue, List<Location> locations,
             Instant createdAt, Instant updatedAt) {

    Image {
        requireNonNull(id, "id is null");
        requireNonNull(status, "status is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        locations = List.copyOf(locations);
    }

    /** Glance's image states that this registry uses. */
    enum Status {
        /** Created, no data yet (also after a failed upload). */
        QUEUED,
        /** An upload is in progress. */
        SAVING,
        /** Data stored and verified. */
        ACTIVE;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
