package dev.stowage.api;

import dev.stowage.testing.InMemoryStoreDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.UUID;

/** Random content and fresh namespaces for tests (namespaces of the in-memory driver are global). */
final class TestData {
    private TestData() {
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** A namespace no other test uses. */
    static String namespace(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void put(String namespace, String imageId, byte[] data) {
        InMemoryStoreDriver.objects(namespace).put(imageId, data);
    }
}
