package dev.stowage.file;

import dev.stowage.api.ConfigurationException;
import dev.stowage.spi.StoreConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.stowage.file.FileStoreDriver.CHUNK_SIZE;
import static dev.stowage.file.FileStoreDriver.DATADIR;
import static dev.stowage.file.FileStoreDriver.DATADIRS;
import static dev.stowage.file.FileStoreDriver.FILE_PERM;
import static dev.stowage.file.FileStoreDriver.FSYNC;
import static dev.stowage.file.FileStoreDriver.ID;
import static dev.stowage.file.FileStoreDriver.METADATA_FILE;
import static dev.stowage.file.FileStoreDriver.MOUNTPOINT;
import static dev.stowage.file.FileStoreDriver.THIN_PROVISIONING;

/**
 * The file store's configuration after the checks that need no disk access beyond reading the metadata file: one of
 * {@code datadir}/{@code datadirs}, no duplicate directories, metadata from the file or from {@code id} and
 * {@code mountpoint} but not both.
 *
 * @param directories   absolute, normalised, in configuration order
 * @param directoryKey  the key the directories came from, for messages
 * @param mounts        the metadata entries (empty: no location metadata)
 * @param mountsKey     the key the entries came from, for messages
 * @param filePerm      permission bits of stored files, or -1 to leave them to the umask
 */
record FileStoreSettings(String storeName, List<DataDirectory> directories, String directoryKey,
                         List<MountEntry> mounts, String mountsKey, int filePerm, String filePermKey, int chunkSize,
                         boolean fsync, boolean thinProvisioning) {
    static final int UNSET = -1;

    FileStoreSettings {
        directories = List.copyOf(directories);
        mounts = List.copyOf(mounts);
    }

    static FileStoreSettings from(StoreConfig config) {
        String store = config.storeName();
        List<DataDirectory> directories;
        String directoryKey;
        if (config.isSet(DATADIR) && config.isSet(DATADIRS)) {
            throw new ConfigurationException(config.key(DATADIRS), "Cannot configure store " + store + ": give either '"
                    + config.key(DATADIR) + "' (one directory) or '" + config.key(DATADIRS)
                    + "' (several with priorities), not both");
        } else if (config.isSet(DATADIR)) {
            directories = List.of(new DataDirectory(config.get(DATADIR), 0));
            directoryKey = config.key(DATADIR);
        } else if (config.isSet(DATADIRS)) {
            directories = config.get(DATADIRS);
            directoryKey = config.key(DATADIRS);
        } else {
            throw new ConfigurationException(config.key(DATADIR), "Cannot configure store " + store + ": option '"
                    + config.key(DATADIR) + "' (one directory) or '" + config.key(DATADIRS)
                    + "' (several, as path:priority) is required");
        }
        List<DataDirectory> absolute = new ArrayList<>();
        Map<Path, DataDirectory> seen = new HashMap<>();
        for (DataDirectory directory : directories) {
            Path path = directory.path().toAbsolutePath().normalize();
            DataDirectory normal = new DataDirectory(path, directory.priority());
            DataDirectory earlier = seen.putIfAbsent(path, normal);
            if (earlier != null) {
                throw new ConfigurationException(directoryKey, "Cannot configure store " + store + ": option '"
                        + directoryKey + "' names directory " + path + " twice (" + earlier + " and " + normal + ")");
            }
            absolute.add(normal);
        }

        List<MountEntry> mounts;
        String mountsKey;
        if (config.isSet(METADATA_FILE)) {
            mountsKey = config.key(METADATA_FILE);
            if (config.isSet(ID) || config.isSet(MOUNTPOINT)) {
                String other = config.isSet(ID) ? config.key(ID) : config.key(MOUNTPOINT);
                throw new ConfigurationException(mountsKey, "Cannot configure store " + store + ": give either '"
                        + mountsKey + "' or '" + config.key(ID) + "' with '" + config.key(MOUNTPOINT)
                        + "', not both ('" + other + "' is set too)");
            }
            try {
                mounts = MetadataFile.read(config.get(METADATA_FILE).toAbsolutePath().normalize());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(mountsKey, "Cannot configure store " + store + ": option '"
                        + mountsKey + "': " + e.getMessage(), e.getCause());
            }
        } else if (config.isSet(ID) || config.isSet(MOUNTPOINT)) {
            if (!config.isSet(ID) || !config.isSet(MOUNTPOINT)) {
                String missing = config.isSet(ID) ? config.key(MOUNTPOINT) : config.key(ID);
                String given = config.isSet(ID) ? config.key(ID) : config.key(MOUNTPOINT);
                throw new ConfigurationException(missing, "Cannot configure store " + store + ": option '" + missing
                        + "' is required when '" + given + "' is set (location metadata needs both)");
            }
            mountsKey = config.key(ID);
            mounts = List.of(new MountEntry(config.get(ID), config.get(MOUNTPOINT)));
        } else {
            mountsKey = config.key(METADATA_FILE);
            mounts = List.of();
        }

        int filePerm = config.find(FILE_PERM).orElse(UNSET);
        return new FileStoreSettings(store, absolute, directoryKey, mounts, mountsKey, filePerm,
                config.key(FILE_PERM), Math.toIntExact(config.get(CHUNK_SIZE)), config.get(FSYNC),
                config.get(THIN_PROVISIONING));
    }
}
