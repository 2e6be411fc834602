package dev.stowage.file;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.spi.StoreConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** Helpers shared by the file store's tests. */
final class TestStores {
    static final String PREFIX = "stowage.stores.images.";

    private TestStores() {
    }

    static StoreConfig config(Map<String, String> options) {
        return StoreConfig.parse("images", PREFIX, new FileStoreDriver().options(), options);
    }

    static FileStore open(Map<String, String> options) {
        return FileStoreDriver.create(config(options), FileOps.SYSTEM);
    }

    static FileStore open(Map<String, String> options, FileOps ops) {
        return FileStoreDriver.create(config(options), ops);
    }

    static FileStore open(Path datadir) {
        return open(Map.of("datadir", datadir.toString()));
    }

    static FileStore open(Path datadir, String... keyValues) {
        Map<String, String> options = new HashMap<>();
        options.put("datadir", datadir.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return open(options);
    }

    static AddResult add(FileStore store, String id, byte[] data) {
        return store.add(id, new ByteArrayInputStream(data), data.length, AddOptions.defaults());
    }

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Temp files of the store (anything named with the temp prefix) in the given directories. */
    static List<Path> temps(List<Path> directories) throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (Path directory : directories) {
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(TempFiles::isTemp).forEach(found::add);
            }
        }
        return found;
    }

    /** Every entry of the directories (objects and temp files), by file name. */
    static List<String> entries(Path... directories) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (Path directory : directories) {
            try (Stream<Path> files = Files.list(directory)) {
                files.map(file -> file.getFileName().toString()).sorted().forEach(names::add);
            }
        }
        return names;
    }

    /** A data stream that fails with an IOException once {@code failAfter} bytes were read. */
    static InputStream failingAfter(byte[] data, int failAfter) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position >= failAfter) {
                    throw new IOException("client connection reset");
                }
                int n = Math.min(length, Math.min(failAfter, data.length) - position);
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(data, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }
}
