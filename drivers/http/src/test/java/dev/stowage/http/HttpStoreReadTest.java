package dev.stowage.http;

import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.stowage.http.TestStores.bytes;
import static dev.stowage.http.TestStores.read;
import static dev.stowage.http.TestStores.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads against a real HTTP server (Jetty) that honours Range. */
class HttpStoreReadTest {
    private static FileServer server;
    private static final byte[] DATA = bytes(300_000, 1);
    private static URI object;
    private static URI empty;

    @BeforeAll
    static void start() throws Exception {
        server = new FileServer();
        object = server.put("images/a.img", DATA);
        empty = server.put("images/empty.img", new byte[0]);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void readsTheWholeObject() {
        try (Store store = TestStores.store()) {
            assertThat(read(store, object)).isEqualTo(DATA);
            assertThat(store.size(store.location(object))).isEqualTo(DATA.length);
        }
    }

    @Test
    void readsRangesWithTheRangeHeader() {
        try (Store store = TestStores.store()) {
            assertThat(read(store, object, ByteRange.of(0, 1))).isEqualTo(slice(DATA, 0, 1));
            assertThat(read(store, object, ByteRange.of(12_345, 100_000))).isEqualTo(slice(DATA, 12_345, 100_000));
            assertThat(read(store, object, ByteRange.of(DATA.length - 7, 7)))
                    .isEqualTo(slice(DATA, DATA.length - 7, 7));
            assertThat(read(store, object, ByteRange.from(250_000))).isEqualTo(slice(DATA, 250_000, 50_000));
            assertThat(read(store, object, ByteRange.of(5, 0))).isEmpty();
            assertThat(read(store, object, ByteRange.from(0))).isEqualTo(DATA);
        }
    }

    @Test
    void anOffsetAtTheEndGivesAnEmptyStream() {
        try (Store store = TestStores.store()) {
            assertThat(read(store, object, ByteRange.from(DATA.length))).isEmpty();
            assertThat(read(store, object, ByteRange.of(DATA.length, 0))).isEmpty();
            assertThat(read(store, empty, ByteRange.from(0))).isEmpty();
            assertThat(read(store, empty)).isEmpty();
            assertThat(store.size(store.location(empty))).isZero();
        }
    }

    @Test
    void rangesOutsideTheObjectAreRangeErrors() {
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.get(store.location(object), ByteRange.from(DATA.length + 1)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + object + ": range [300001, end) starts after the end of the object"
                            + " (300000 bytes)");
            assertThatThrownBy(() -> store.get(store.location(object), ByteRange.of(DATA.length - 10, 11)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + object + ": range [299990, 300001) ends after the end of the object"
                            + " (300000 bytes)");
            assertThatThrownBy(() -> store.get(store.location(object), ByteRange.of(DATA.length, 1)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessageContaining("ends after the end of the object (300000 bytes)");
            assertThatThrownBy(() -> store.get(store.location(empty), ByteRange.of(0, 1)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + empty + ": range [0, 1) ends after the end of the object (0 bytes)");
        }
    }

    @Test
    void aMissingObjectIsNotFound() {
        URI missing = server.uri("images/missing.img");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.get(store.location(missing), ByteRange.all()))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot read " + missing + ": no such object (HTTP 404 Not Found)");
            assertThatThrownBy(() -> store.size(store.location(missing)))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot get the size of " + missing + ": no such object (HTTP 404 Not Found)");
        }
    }

    @Test
    void declaresReadAndRangeReadOnly() {
        try (Store store = TestStores.store()) {
            assertThat(store.capabilities()).containsExactlyInAnyOrder(Capability.READ, Capability.RANGE_READ);
            assertThat(store.type()).isEqualTo("http");
            assertThat(store.name()).isEqualTo("web");
            assertThat(store.metadata()).isEmpty();
        }
    }

    @Test
    void aStreamClosedTwiceIsHarmlessAndThrowsOnUse() throws Exception {
        try (Store store = TestStores.store()) {
            InputStream in = store.get(store.location(object), ByteRange.all());
            assertThat(in.read()).isEqualTo(DATA[0] & 0xff);
            in.close();
            in.close();
            assertThatThrownBy(in::read).isInstanceOf(java.io.IOException.class)
                    .hasMessage("Cannot read " + object + ": the stream is closed");
        }
    }

    @Test
    void closingTheStoreClosesOpenStreamsAndRefusesCalls() throws Exception {
        Store store = TestStores.store();
        InputStream in = store.get(store.location(object), ByteRange.all());
        assertThat(in.readNBytes(10)).isEqualTo(slice(DATA, 0, 10));
        store.close();
        store.close();
        assertThatThrownBy(() -> in.readAllBytes()).isInstanceOf(StoreClosedException.class)
                .hasMessage("Cannot read " + object + ": the store was closed");
        in.close();
        assertThatThrownBy(() -> store.size(TestStores.location(object))).isInstanceOf(StoreClosedException.class)
                .hasMessage("Cannot use store web: it is closed");
        assertThatThrownBy(() -> store.location(object)).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void concurrentReadsOfOneStoreGetTheirOwnBytes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Store store = TestStores.store()) {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                long offset = i * 9_000L;
                results.add(pool.submit(() -> read(store, object, ByteRange.of(offset, 10_000))));
            }
            for (int i = 0; i < 32; i++) {
                assertThat(results.get(i).get()).isEqualTo(slice(DATA, i * 9_000L, 10_000));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sendsTheConfiguredUserAgent() throws Exception {
        try (ScriptedServer scripted = ScriptedServer.http()
                .on("/x", exchange -> ScriptedServer.send(exchange, 200, new byte[] {1}));
             Store store = TestStores.store(java.util.Map.of("user-agent", "registry/1.0"))) {
            read(store, scripted.uri("/x"));
            assertThat(scripted.seen()).extracting(ScriptedServer.Seen::userAgent).containsExactly("registry/1.0");
        }
    }
}
