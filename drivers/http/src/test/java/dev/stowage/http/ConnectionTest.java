package dev.stowage.http;

import com.sun.net.httpserver.HttpExchange;
import dev.stowage.api.ByteRange;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreTimeoutException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.stowage.http.RawServer.ascii;
import static dev.stowage.http.TestStores.bytes;
import static dev.stowage.http.TestStores.read;
import static dev.stowage.http.TestStores.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What happens to connections: a body read to its end leaves the connection for the next request; a body closed
 * early is abandoned, not read through, and its connection never serves another request; closing the store while a
 * read is blocked fails that read without waiting for it.
 */
class ConnectionTest {
    private static final byte[] SMALL = bytes(100_000, 7);
    /** The huge body repeats this block. */
    private static final byte[] BLOCK = bytes(64 << 10, 8);
    private static final long HUGE = 1L << 30;
    private static final AtomicLong sent = new AtomicLong();
    private static volatile CountDownLatch cut = new CountDownLatch(1);
    private static ScriptedServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ScriptedServer.http()
                .on("/small", exchange -> ScriptedServer.send(exchange, 200, SMALL))
                // 1 GiB with a Content-Length, or chunked; counts what it managed to send before the client left
                .on("/huge/length", exchange -> huge(exchange, HUGE))
                .on("/huge/chunked", exchange -> huge(exchange, 0));
    }

    private static void huge(HttpExchange exchange, long declared) throws IOException {
        exchange.sendResponseHeaders(200, declared);
        try (OutputStream out = exchange.getResponseBody()) {
            for (long written = 0; written < HUGE; written += BLOCK.length) {
                out.write(BLOCK);
                sent.addAndGet(BLOCK.length);
            }
        } catch (IOException e) {
            cut.countDown();
            throw e;
        }
    }

    @BeforeEach
    void forget() {
        server.forget();
        sent.set(0);
        cut = new CountDownLatch(1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void bodiesReadToTheEndLeaveTheirConnectionForTheNextRequest() {
        URI small = server.uri("/small");
        try (Store store = TestStores.store()) {
            assertThat(read(store, small)).isEqualTo(SMALL);
            assertThat(read(store, small, ByteRange.of(10, 20_000))).isEqualTo(slice(SMALL, 10, 20_000));
            assertThat(store.size(store.location(small))).isEqualTo(SMALL.length);
            assertThat(read(store, small)).isEqualTo(SMALL);
        }
        assertThat(server.seen()).hasSize(4);
        assertThat(server.seen()).extracting(ScriptedServer.Seen::clientPort).as("one connection for all four")
                .containsOnly(server.seen().get(0).clientPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/huge/length", "/huge/chunked"})
    void aHugeBodyClosedEarlyIsNotReadThroughAndItsConnectionNotReused(String path) throws Exception {
        try (Store store = TestStores.store()) {
            try (InputStream in = store.get(store.location(server.uri(path)), ByteRange.all())) {
                byte[] first = in.readNBytes(16 * BLOCK.length);
                for (int i = 0; i < 16; i++) {
                    assertThat(slice(first, (long) i * BLOCK.length, BLOCK.length)).isEqualTo(BLOCK);
                }
            }
            // the client dropped the connection: the server's next write fails
            assertThat(cut.await(60, TimeUnit.SECONDS)).as("the server noticed the client left").isTrue();
            assertThat(sent.get()).as("bytes the server sent of a 1 GiB body (socket buffers at most)")
                    .isLessThan(64L << 20);
            // the next request gets its own bytes, on another connection
            assertThat(read(store, server.uri("/small"))).isEqualTo(SMALL);
        }
        List<ScriptedServer.Seen> seen = server.seen();
        assertThat(seen).extracting(s -> s.uri().getPath()).containsExactly(path, "/small");
        assertThat(seen.get(1).clientPort()).isNotEqualTo(seen.get(0).clientPort());
    }

    @Test
    void closingTheStoreFailsAReadThatIsBlockedWithoutWaitingForIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        // a read timeout far longer than the test: the blocked read returns only when the server sends more
        try (RawServer raw = new RawServer((request, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + SMALL.length + "\r\n\r\n"));
            out.write(SMALL, 0, 1_000);
            out.flush();
            release.await(60, TimeUnit.SECONDS);
            out.write(SMALL, 1_000, SMALL.length - 1_000);
        }); Store store = TestStores.store(Map.of("read-timeout", "60s"))) {
            URI uri = raw.uri("/image");
            InputStream in = store.get(store.location(uri), ByteRange.all());
            assertThat(in.readNBytes(1_000)).isEqualTo(slice(SMALL, 0, 1_000));
            CountDownLatch reading = new CountDownLatch(1);
            Future<Integer> blocked = threads.submit(() -> {
                reading.countDown();
                return in.read(new byte[8192]);
            });
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // lets the read block on the socket (it fails the same way if it had not yet)
            // close must not wait for the blocked read: the server sends the rest only once close has returned
            threads.submit(store::close).get(30, TimeUnit.SECONDS);
            release.countDown();
            assertThatThrownBy(() -> blocked.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(StoreClosedException.class)
                    .hasMessage("Cannot read " + uri + ": the store was closed")
                    .hasNoCause();
            assertThatThrownBy(in::read).isInstanceOf(StoreClosedException.class);
            in.close();
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aReadTimeoutMidBodyFailsEveryLaterReadToo() throws Exception {
        try (RawServer raw = new RawServer((request, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + SMALL.length + "\r\n\r\n"));
            out.write(SMALL, 0, 5_000);
            out.flush();
            Thread.sleep(5_000);
            out.write(SMALL, 5_000, SMALL.length - 5_000);
        }); Store store = TestStores.store(Map.of("read-timeout", "200ms"))) {
            URI uri = raw.uri("/image");
            InputStream in = store.get(store.location(uri), ByteRange.all());
            assertThat(in.readNBytes(5_000)).isEqualTo(slice(SMALL, 0, 5_000));
            assertThatThrownBy(in::read).isInstanceOf(StoreTimeoutException.class)
                    .hasMessage("Cannot read " + uri + ": the server sent no data for 200 ms (read-timeout) after"
                            + " 5000 bytes");
            // a failed body never resumes as if nothing had happened
            assertThatThrownBy(() -> in.read(new byte[100])).isInstanceOf(StoreTimeoutException.class)
                    .hasMessageEndingWith("after 5000 bytes");
            in.close();
            in.close();
        }
    }
}
