package dev.stowage.http;

import com.sun.net.httpserver.HttpExchange;
import dev.stowage.api.ByteRange;
import dev.stowage.api.ForbiddenException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.StoreTimeoutException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import static dev.stowage.http.RawServer.ascii;
import static dev.stowage.http.TestStores.bytes;
import static dev.stowage.http.TestStores.read;
import static dev.stowage.http.TestStores.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Servers that cut bodies, ignore Range, refuse HEAD, stall or answer with errors. */
class MisbehavingServerTest {
    private static final byte[] DATA = bytes(100_000, 3);
    private static ScriptedServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ScriptedServer.http()
                // ignores Range: always the whole object with its length
                .on("/norange", exchange -> ScriptedServer.send(exchange, 200, DATA))
                // ignores Range and sends no length (chunked)
                .on("/chunked", MisbehavingServerTest::chunked)
                // refuses HEAD, honours a one-byte range
                .on("/nohead", exchange -> {
                    if (exchange.getRequestMethod().equals("HEAD")) {
                        exchange.sendResponseHeaders(405, -1);
                    } else if ("bytes=0-0".equals(exchange.getRequestHeaders().getFirst("Range"))) {
                        exchange.getResponseHeaders().set("Content-Range", "bytes 0-0/" + DATA.length);
                        ScriptedServer.send(exchange, 206, new byte[] {DATA[0]});
                    } else {
                        ScriptedServer.send(exchange, 200, DATA);
                    }
                })
                // refuses HEAD and ignores Range
                .on("/nohead-norange", exchange -> {
                    if (exchange.getRequestMethod().equals("HEAD")) {
                        exchange.sendResponseHeaders(501, -1);
                    } else {
                        ScriptedServer.send(exchange, 200, DATA);
                    }
                })
                .on("/status/", exchange -> exchange.sendResponseHeaders(
                        Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length())), -1))
                .on("/wrong-range", exchange -> {
                    exchange.getResponseHeaders().set("Content-Range", "bytes 0-9/" + DATA.length);
                    ScriptedServer.send(exchange, 206, slice(DATA, 0, 10));
                })
                .on("/garbage-range", exchange -> {
                    exchange.getResponseHeaders().set("Content-Range", "bytes 99999999999999999999-1/2");
                    ScriptedServer.send(exchange, 206, slice(DATA, 0, 10));
                })
                .on("/unasked-206", exchange -> {
                    exchange.getResponseHeaders().set("Content-Range", "bytes 0-9/" + DATA.length);
                    ScriptedServer.send(exchange, 206, slice(DATA, 0, 10));
                });
    }

    private static void chunked(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < DATA.length; i += 7_000) {
                out.write(DATA, i, Math.min(7_000, DATA.length - i));
                out.flush();
            }
        }
    }

    @BeforeEach
    void forget() {
        server.forget();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "[{0}, +{1})")
    @CsvSource({"0, -1", "0, 100000", "1, 10", "12345, 54321", "99999, 1", "100000, 0", "99990, -1", "100000, -1",
            "500, 0"})
    void aServerThatIgnoresRangeStillGivesTheRightBytes(long offset, long length) {
        ByteRange range = length < 0 ? ByteRange.from(offset) : ByteRange.of(offset, length);
        long count = length < 0 ? DATA.length - offset : length;
        try (Store store = TestStores.store()) {
            assertThat(read(store, server.uri("/norange"), range)).isEqualTo(slice(DATA, offset, count));
            assertThat(read(store, server.uri("/chunked"), range)).isEqualTo(slice(DATA, offset, count));
        }
        if (offset > 0 || length >= 0) {
            assertThat(server.seen()).extracting(ScriptedServer.Seen::range).contains(
                    "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + Math.max(length, 1) - 1)));
        }
    }

    @Test
    void aServerThatIgnoresRangeStillGivesRangeErrors() {
        URI norange = server.uri("/norange");
        URI chunked = server.uri("/chunked");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.get(store.location(norange), ByteRange.from(100_001)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + norange + ": range [100001, end) starts after the end of the object"
                            + " (100000 bytes)");
            // without a length the end shows only when the body ends
            assertThatThrownBy(() -> store.get(store.location(chunked), ByteRange.from(100_001)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + chunked + ": the range starts after the end of the object"
                            + " (100000 bytes)");
            assertThatThrownBy(() -> read(store, chunked, ByteRange.of(99_000, 1_001)))
                    .isInstanceOf(InvalidRangeException.class)
                    .hasMessage("Cannot read " + chunked + ": the range ends after the end of the object"
                            + " (100000 bytes)");
        }
    }

    @Test
    void sizeFallsBackToGetWhenHeadIsRefused() {
        try (Store store = TestStores.store()) {
            assertThat(store.size(store.location(server.uri("/nohead")))).isEqualTo(DATA.length);
            assertThat(server.seen()).extracting(seen -> seen.method() + " " + seen.range())
                    .containsExactly("HEAD null", "GET bytes=0-0");
            assertThat(store.size(store.location(server.uri("/nohead-norange")))).isEqualTo(DATA.length);
            assertThat(read(store, server.uri("/nohead"), ByteRange.of(3, 4))).isEqualTo(slice(DATA, 3, 4));
        }
    }

    @Test
    void aMissingContentLengthIsAnUnknownSizeNotZero() {
        try (Store store = TestStores.store()) {
            assertThat(store.size(store.location(server.uri("/chunked")))).isEqualTo(Store.UNKNOWN_SIZE);
            assertThat(read(store, server.uri("/chunked"))).isEqualTo(DATA);
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({
            "401, dev.stowage.api.ForbiddenException, forbidden, false, access refused (HTTP 401 Unauthorized)",
            "403, dev.stowage.api.ForbiddenException, forbidden, false, access refused (HTTP 403 Forbidden)",
            "404, dev.stowage.api.ObjectNotFoundException, not-found, false, no such object (HTTP 404 Not Found)",
            "410, dev.stowage.api.ObjectNotFoundException, not-found, false, no such object (HTTP 410 Gone)",
            "400, dev.stowage.api.InvalidLocationException, invalid-location, false,"
                    + " the server rejected the request (HTTP 400 Bad Request)",
            "418, dev.stowage.api.InvalidLocationException, invalid-location, false,"
                    + " the server rejected the request (HTTP 418)",
            "408, dev.stowage.api.StoreTimeoutException, timeout, true,"
                    + " the server timed out (HTTP 408 Request Timeout)",
            "429, dev.stowage.api.ServiceUnavailableException, service-unavailable, true,"
                    + " the server is unavailable (HTTP 429 Too Many Requests)",
            "500, dev.stowage.api.ServiceUnavailableException, service-unavailable, true,"
                    + " the server is unavailable (HTTP 500 Internal Server Error)",
            "503, dev.stowage.api.ServiceUnavailableException, service-unavailable, true,"
                    + " the server is unavailable (HTTP 503 Service Unavailable)"})
    void statusesBecomeTypedErrors(int status, Class<? extends StoreException> type, String code, boolean retryable,
                                   String reason) {
        URI uri = server.uri("/status/" + status);
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.get(store.location(uri), ByteRange.all()))
                    .isInstanceOf(type)
                    .hasMessage("Cannot read " + uri + ": " + reason)
                    .satisfies(e -> {
                        assertThat(((StoreException) e).errorCode().code()).isEqualTo(code);
                        assertThat(((StoreException) e).retryable()).isEqualTo(retryable);
                    });
            if (status != 403) {
                // 403 on HEAD falls back to GET (signed URLs refuse HEAD), which fails the same way
                assertThatThrownBy(() -> store.size(store.location(uri))).isInstanceOf(type)
                        .hasMessage("Cannot get the size of " + uri + ": " + reason);
            } else {
                assertThatThrownBy(() -> store.size(store.location(uri))).isInstanceOf(ForbiddenException.class);
            }
        }
    }

    @Test
    void aPartialAnswerForTheWrongRangeIsAnError() {
        URI uri = server.uri("/wrong-range");
        URI unasked = server.uri("/unasked-206");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.get(store.location(uri), ByteRange.of(50, 10)))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessage("Cannot read " + uri + ": the server sent bytes 0-9/100000 for range [50, 60)");
            URI garbage = server.uri("/garbage-range");
            assertThatThrownBy(() -> store.get(store.location(garbage), ByteRange.of(0, 10)))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessage("Cannot read " + garbage + ": the server answered HTTP 206 without a valid"
                            + " Content-Range (got 'bytes 99999999999999999999-1/2')");
            assertThatThrownBy(() -> store.get(store.location(unasked), ByteRange.all()))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessage("Cannot read " + unasked + ": the server answered HTTP 206 to a request without a"
                            + " range");
        }
    }

    @Test
    void aServerDroppingTheConnectionMidBodyGivesAnErrorNotTruncatedData() throws Exception {
        byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Length: " + DATA.length + "\r\n\r\n");
        try (RawServer raw = new RawServer((request, out) -> {
            out.write(head);
            out.write(DATA, 0, 40_000);
            out.flush();
        }); Store store = TestStores.store()) {
            URI uri = raw.uri("/image");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThatThrownBy(() -> copy(store.get(store.location(uri), ByteRange.all()), got))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Cannot read " + uri + ": ")
                    .hasMessageContaining("after 40000 bytes")
                    .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
            assertThat(got.toByteArray()).isEqualTo(slice(DATA, 0, 40_000));
        }
    }

    @Test
    void aRangeAnswerCutShortIsAnError() throws Exception {
        byte[] head = ascii("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 10-1009/" + DATA.length
                + "\r\nContent-Length: 1000\r\n\r\n");
        try (RawServer raw = new RawServer((request, out) -> {
            out.write(head);
            out.write(DATA, 10, 500);
        }); Store store = TestStores.store()) {
            URI uri = raw.uri("/image");
            assertThatThrownBy(() -> read(store, uri, ByteRange.of(10, 1000)))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Cannot read " + uri + ": ")
                    .hasMessageContaining("after 500 bytes");
        }
    }

    @Test
    void aChunkedBodyCutMidChunkIsAnError() throws Exception {
        try (RawServer raw = new RawServer((request, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            out.write(ascii("2710\r\n"));
            out.write(DATA, 0, 10_000);
            out.write(ascii("\r\n2710\r\n"));
            out.write(DATA, 10_000, 3_000);
        }); Store store = TestStores.store()) {
            URI uri = raw.uri("/image");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThatThrownBy(() -> copy(store.get(store.location(uri), ByteRange.all()), got))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Cannot read " + uri + ": the transfer failed after");
            assertThat(got.size()).isLessThan(20_000);
            assertThat(got.toByteArray()).isEqualTo(slice(DATA, 0, got.size()));
        }
    }

    @Test
    void aServerThatStallsMidBodyHitsTheReadTimeout() throws Exception {
        try (RawServer raw = new RawServer((request, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + DATA.length + "\r\n\r\n"));
            out.write(DATA, 0, 1_000);
            out.flush();
            Thread.sleep(10_000);
        }); Store store = TestStores.store(Map.of("read-timeout", "300ms"))) {
            URI uri = raw.uri("/image");
            assertThatThrownBy(() -> read(store, uri))
                    .isInstanceOf(StoreTimeoutException.class)
                    .hasMessage("Cannot read " + uri + ": the server sent no data for 300 ms (read-timeout) after"
                            + " 1000 bytes")
                    .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
        }
    }

    @Test
    void aSlowButSteadyBodyOutlastingTheReadTimeoutIsRead() throws Exception {
        // 16 pieces 100 ms apart: the whole body takes about 1.5 s, each wait is well under the 500 ms timeout
        try (RawServer raw = new RawServer((request, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 16000\r\n\r\n"));
            for (int i = 0; i < 16; i++) {
                out.write(DATA, i * 1_000, 1_000);
                out.flush();
                Thread.sleep(100);
            }
        }); Store store = TestStores.store(Map.of("read-timeout", "500ms"))) {
            assertThat(read(store, raw.uri("/image"))).isEqualTo(slice(DATA, 0, 16_000));
        }
    }

    @Test
    void aServerThatStallsBeforeTheHeadersHitsTheReadTimeout() throws Exception {
        try (RawServer raw = new RawServer((request, out) -> Thread.sleep(10_000));
             Store store = TestStores.store(Map.of("read-timeout", "300ms"))) {
            URI uri = raw.uri("/image");
            assertThatThrownBy(() -> store.size(store.location(uri)))
                    .isInstanceOf(StoreTimeoutException.class)
                    .hasMessage("Cannot get the size of " + uri + ": no response from 127.0.0.1:" + uri.getPort()
                            + " within 300 ms (read-timeout)");
        }
    }

    @Test
    void anAnswerThatIsNotHttpIsARetryableServiceUnavailable() throws Exception {
        // the JDK would read this as an HTTP/0.9 answer whose body is the text below
        try (RawServer raw = new RawServer((request, out) -> out.write(ascii("SSH-2.0-OpenSSH_9.2\r\nnot http\r\n")));
             Store store = TestStores.store()) {
            URI uri = raw.uri("/image");
            assertThatThrownBy(() -> store.get(store.location(uri), ByteRange.all()))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessage("Cannot read " + uri + ": the answer of 127.0.0.1:" + uri.getPort() + " is not HTTP")
                    .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
            assertThatThrownBy(() -> store.size(store.location(uri)))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessage("Cannot get the size of " + uri + ": the answer of 127.0.0.1:" + uri.getPort()
                            + " is not HTTP");
        }
    }

    @Test
    void aServerThatHangsUpWithoutAnsweringIsARetryableServiceUnavailable() throws Exception {
        try (RawServer raw = new RawServer((request, out) -> {
        }); Store store = TestStores.store()) {
            URI uri = raw.uri("/image");
            assertThatThrownBy(() -> store.get(store.location(uri), ByteRange.of(10, 10)))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageStartingWith("Cannot read " + uri + ": the connection to 127.0.0.1:" + uri.getPort()
                            + " failed: ")
                    .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
        }
    }

    @Test
    void aRefusedConnectionIsARetryableServiceUnavailable() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/image");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.get(store.location(uri), ByteRange.all()))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessage("Cannot read " + uri + ": cannot connect to 127.0.0.1:" + port + ": connection refused")
                    .satisfies(e -> assertThat(((StoreException) e).retryable()).isTrue());
        }
    }

    @Test
    void anUnknownHostIsServiceUnavailable() {
        URI uri = URI.create("http://no-such-host.invalid/image");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.size(store.location(uri)))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessage("Cannot get the size of " + uri + ": unknown host no-such-host.invalid");
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        try (in) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        }
    }
}
