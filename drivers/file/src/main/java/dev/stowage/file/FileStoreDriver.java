package dev.stowage.file;

import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The file-system store driver: type {@code file}, scheme {@code file} (glance's {@code filesystem} is accepted when
 * parsing a location; the location made from it uses {@code file}). Options mirror glance's filesystem store under
 * kebab-case names; see the module README for the table generated from these declarations.
 */
public final class FileStoreDriver implements StoreDriver {
    /** The driver type. */
    public static final String TYPE = "file";

    public static final Option<Path> DATADIR = Option.builder("datadir", OptionType.PATH)
            .description("The one directory that holds the images (glance: filesystem_store_datadir). Created when"
                    + " missing. Give this or datadirs, not both.")
            .build();
    public static final Option<List<DataDirectory>> DATADIRS = Option.builder("datadirs", DataDirectory.LIST_TYPE)
            .description("Several directories with priorities, e.g. /fast:200,/bulk:100 (glance:"
                    + " filesystem_store_datadirs). The highest priority is tried first; within a priority the"
                    + " directory with the most free space that fits the declared size. Give this or datadir, not"
                    + " both.")
            .build();
    public static final Option<Path> METADATA_FILE = Option.builder("metadata-file", OptionType.PATH)
            .description("JSON file with the location metadata: an object or a list of objects {\"id\","
                    + " \"mountpoint\"} (glance: filesystem_store_metadata_file). Each data directory takes the entry"
                    + " whose mountpoint contains it (the deepest one); a directory under no mountpoint is an error."
                    + " Not together with id or mountpoint.")
            .build();
    public static final Option<String> ID = Option.builder("id", OptionType.STRING)
            .constraint(value -> !value.isBlank(), "must not be blank")
            .description("File system id stamped on every location (with mountpoint), for clients that copy"
                    + " directly from a shared file system. The option form of a one-entry metadata file.")
            .build();
    public static final Option<Path> MOUNTPOINT = Option.builder("mountpoint", OptionType.PATH)
            .constraint(Path::isAbsolute, "must be an absolute path")
            .description("Where the file system with this id is mounted on this host; must contain every data"
                    + " directory. Given together with id.")
            .build();
    public static final Option<Integer> FILE_PERM = Option.builder("file-perm", OptionType.OCTAL)
            .constraint(mode -> mode <= 0777, "must be permission bits only (at most 0777)")
            .constraint(mode -> (mode & 0600) == 0600, "must let the owner read and write (0600 at least)")
            .description("Permissions of stored files, octal, e.g. 0640 (glance: filesystem_store_file_perm)."
                    + " Unset: the process umask decides. When it grants others (or the group) any access, the"
                    + " data directories get the matching search (x) bit, as glance does.")
            .build();
    public static final Option<Long> CHUNK_SIZE = Option.builder("chunk-size", OptionType.BYTES)
            .defaultValue(64L << 10)
            .constraint(size -> size >= 1024 && size <= (64L << 20), "must be between 1KiB and 64MiB")
            .description("Bytes read from the caller and written per step; also the largest single read from a"
                    + " file (glance: filesystem_store_chunk_size).")
            .build();
    public static final Option<Boolean> FSYNC = Option.builder("fsync", OptionType.BOOLEAN)
            .defaultValue(true)
            .description("Force each new file, and the directory entry that names it, to the device before add"
                    + " returns.")
            .build();
    public static final Option<Boolean> THIN_PROVISIONING = Option.builder("thin-provisioning", OptionType.BOOLEAN)
            .defaultValue(false)
            .description("Leave all-zero chunks as holes in sparse files instead of writing them (glance:"
                    + " filesystem_thin_provisioning).")
            .build();

    private static final List<Option<?>> OPTIONS = List.of(DATADIR, DATADIRS, METADATA_FILE, ID, MOUNTPOINT,
            FILE_PERM, CHUNK_SIZE, FSYNC, THIN_PROVISIONING);

    /** Public for {@link java.util.ServiceLoader}. */
    public FileStoreDriver() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> schemes() {
        return Set.of(FileStore.SCHEME, FileStore.LEGACY_SCHEME);
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Store create(StoreConfig config) {
        return create(config, FileOps.SYSTEM);
    }

    /** Makes a store whose file operations go through {@code ops} (tests inject faults here). */
    static FileStore create(StoreConfig config, FileOps ops) {
        requireNonNull(config, "config is null");
        requireNonNull(ops, "ops is null");
        return FileStore.open(FileStoreSettings.from(config), ops);
    }
}
