package dev.stowage.http;

import dev.stowage.api.ByteRange;
import dev.stowage.api.Location;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Random;

/** Small helpers shared by the HTTP store tests. */
final class TestStores {
    private TestStores() {
    }

    static Store store(Map<String, String> options) {
        HttpStoreDriver driver = new HttpStoreDriver();
        return driver.create(StoreConfig.parse("web", "stowage.stores.web.", driver.options(), options));
    }

    static Store store() {
        return store(Map.of());
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] read(Store store, URI uri, ByteRange range) {
        try (InputStream in = store.get(store.location(uri), range)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Store store, URI uri) {
        return read(store, uri, ByteRange.all());
    }

    static byte[] slice(byte[] data, long offset, long length) {
        return java.util.Arrays.copyOfRange(data, (int) offset, (int) (offset + length));
    }

    static Location location(URI uri) {
        return Location.of(uri);
    }
}
