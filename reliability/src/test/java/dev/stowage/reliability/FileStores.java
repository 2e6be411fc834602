package dev.stowage.reliability;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.Location;
import dev.stowage.file.FileStoreDriver;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** File store set-up shared by the suites. */
final class FileStores {
    static final String PREFIX = "stowage.stores.local.";

    private FileStores() {
    }

    /** The validated configuration of a file store named {@code local} on {@code datadir}. */
    static StoreConfig config(Path datadir, String... keyValues) {
        Map<String, String> options = new HashMap<>();
        options.put("datadir", datadir.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return StoreConfig.parse("local", PREFIX, new FileStoreDriver().options(), options);
    }

    static Store open(Path datadir, String... keyValues) {
        return new FileStoreDriver().create(config(datadir, keyValues));
    }

    static AddResult add(Store store, String id, byte[] data) {
        return store.add(id, new ByteArrayInputStream(data), data.length, AddOptions.defaults());
    }

    /** The location an object with {@code id} has (or would have) in the store on {@code datadir}. */
    static Location location(Store store, Path datadir, String id) {
        try {
            return store.location(new URI("file", "", datadir.toRealPath().resolve(id).toString(), null, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code stowage.stores.<name>.type=file} and its data directory, with {@code fsync} off unless given. */
    static Map<String, String> stowage(String name, Path datadir) {
        Map<String, String> configuration = new HashMap<>();
        configuration.put("stowage.stores." + name + ".type", "file");
        configuration.put("stowage.stores." + name + ".datadir", datadir.toString());
        return configuration;
    }
}
