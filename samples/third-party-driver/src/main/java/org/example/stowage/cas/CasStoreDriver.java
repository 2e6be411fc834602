package org.example.stowage.cas;

import dev.stowage.api.ConfigurationException;
import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A content-addressed directory store (type {@code cas}, scheme {@code cas}). Each distinct content is kept once,
 * named by its digest; each image links to that content, so images with equal bytes share the disk space and
 * deleting one image keeps the others intact. Locations look like {@code cas://<id>/<image id>}.
 *
 * <p>Layout under {@code root}: {@code refs/<image id>/<algorithm>-<hex digest>} (one directory per image, holding a
 * hard link to its content), {@code blobs/<algorithm>/<first two hex digits>/<hex digest>} (the content index),
 * {@code tmp/} (adds and deletes in progress). Needs a file system with hard links and POSIX link counts (Linux,
 * macOS, BSD).
 */
public final class CasStoreDriver implements StoreDriver {
    /** Type name in configuration and URI scheme of locations. */
    public static final String TYPE = "cas";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public static final Option<Path> ROOT = Option.builder("root", OptionType.PATH).required()
            .description("Directory holding the store; created when missing (unless read-only)").build();
    public static final Option<String> ID = Option.builder("id", OptionType.STRING)
            .constraint(id -> LABEL.matcher(id).matches(),
                    "must be 1-63 lower-case letters, digits or '-', not starting or ending with '-'")
            .description("Name of this store in locations (cas://<id>/...); defaults to the store name").build();
    public static final Option<Boolean> READ_ONLY = Option.builder("read-only", OptionType.BOOLEAN)
            .defaultValue(false).description("Serve reads only: add and delete fail as unsupported").build();
    public static final Option<Long> BUFFER_SIZE = Option.builder("buffer-size", OptionType.BYTES)
            .defaultValue(64L << 10).constraint(size -> size >= 4 << 10 && size <= 16 << 20,
                    "must be between 4KiB and 16MiB")
            .description("Bytes copied at a time when adding; memory per add is one buffer").build();
    public static final Option<Boolean> FSYNC = Option.builder("fsync", OptionType.BOOLEAN)
            .defaultValue(true).description("Force data and directory entries to disk before add returns").build();
    public static final Option<Duration> TEMP_MAX_AGE = Option.builder("temp-max-age", OptionType.DURATION)
            .defaultValue(Duration.ofHours(1)).constraint(age -> !age.isNegative(), "must not be negative")
            .description("When a store opens, files of interrupted adds idle for longer than this are removed")
            .build();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> schemes() {
        return Set.of(TYPE);
    }

    @Override
    public List<Option<?>> options() {
        return List.of(ROOT, ID, READ_ONLY, BUFFER_SIZE, FSYNC, TEMP_MAX_AGE);
    }

    @Override
    public Store create(StoreConfig config) {
        String id = config.find(ID).orElse(config.storeName());
        if (!LABEL.matcher(id).matches()) {
            throw new ConfigurationException(config.key(ID), "Cannot configure store " + config.storeName()
                    + ": the store name is not usable as the id in locations; set option '" + config.key(ID)
                    + "' (1-63 lower-case letters, digits or '-')");
        }
        return CasStore.open(config.storeName(), id, config.get(ROOT), config.get(READ_ONLY),
                Math.toIntExact(config.get(BUFFER_SIZE)), config.get(FSYNC), config.get(TEMP_MAX_AGE),
                config.key(ROOT));
    }
}
