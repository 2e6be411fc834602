package dev.stowage.http;

import dev.stowage.api.ByteRange;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.TooManyRedirectsException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.Map;

import static dev.stowage.http.TestStores.bytes;
import static dev.stowage.http.TestStores.read;
import static dev.stowage.http.TestStores.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redirects are followed by the driver: counted, loops detected, query strings kept, unsafe targets refused. */
class RedirectTest {
    private static final byte[] DATA = bytes(70_000, 2);
    private static ScriptedServer server;
    private static FileServer files;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        files.put("final.img", DATA);
        server = ScriptedServer.http()
                // /hop/N redirects to /hop/N-1; /hop/0 redirects to the file server
                .on("/hop/", exchange -> {
                    int n = Integer.parseInt(exchange.getRequestURI().getPath().substring("/hop/".length()));
                    ScriptedServer.redirect(exchange, 302, n == 0 ? files.uri("final.img").toString()
                            : "/hop/" + (n - 1));
                })
                .on("/loop/a", exchange -> ScriptedServer.redirect(exchange, 301, "/loop/b"))
                .on("/loop/b", exchange -> ScriptedServer.redirect(exchange, 307, server.uri("/loop/a").toString()))
                .on("/self", exchange -> ScriptedServer.redirect(exchange, 302, "/self"))
                .on("/status/", exchange -> {
                    int status = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
                    ScriptedServer.redirect(exchange, status, "/target?from=" + status);
                })
                .on("/target", exchange -> ScriptedServer.send(exchange, 200,
                        ("query=" + exchange.getRequestURI().getRawQuery()).getBytes()))
                .on("/queryonly", exchange -> {
                    if (exchange.getRequestURI().getRawQuery().startsWith("sig=")) {
                        ScriptedServer.send(exchange, 200, new byte[] {7});
                    } else {
                        ScriptedServer.redirect(exchange, 302, "?sig=a%2Fb&exp=9");
                    }
                })
                .on("/relative/dir/start", exchange -> ScriptedServer.redirect(exchange, 302, "../../target?x=1#frag"))
                .on("/withcredentials", exchange ->
                        ScriptedServer.redirect(exchange, 302, "http://admin:hunter2@127.0.0.1:1/secret"))
                .on("/toftp", exchange -> ScriptedServer.redirect(exchange, 302, "ftp://127.0.0.1/x"))
                .on("/nolocation", exchange -> exchange.sendResponseHeaders(302, -1))
                .on("/tomissing", exchange -> ScriptedServer.redirect(exchange, 302, files.uri("nothing").toString()));
    }

    @BeforeEach
    void forget() {
        server.forget();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void aChainOfFiveRedirectsIsFollowed() {
        try (Store store = TestStores.store()) {
            // /hop/4 -> /hop/3 -> /hop/2 -> /hop/1 -> /hop/0 -> file server: five redirects
            assertThat(read(store, server.uri("/hop/4"))).isEqualTo(DATA);
            assertThat(read(store, server.uri("/hop/4"), ByteRange.of(1000, 5000))).isEqualTo(slice(DATA, 1000, 5000));
            assertThat(store.size(store.location(server.uri("/hop/4")))).isEqualTo(DATA.length);
        }
    }

    @Test
    void aChainOfSixRedirectsFailsWithTooManyRedirects() {
        URI start = server.uri("/hop/5");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> read(store, start))
                    .isInstanceOf(TooManyRedirectsException.class)
                    .hasMessage("Cannot read " + start + ": more than 5 redirects (max-redirects): " + start + " -> "
                            + server.uri("/hop/4") + " -> " + server.uri("/hop/3") + " -> " + server.uri("/hop/2")
                            + " -> " + server.uri("/hop/1") + " -> " + server.uri("/hop/0") + " -> "
                            + files.uri("final.img"))
                    .satisfies(e -> assertThat(((TooManyRedirectsException) e).errorCode().code())
                            .isEqualTo("too-many-redirects"));
        }
        // the file server was never asked: the sixth redirect is not followed
        assertThat(server.seen()).hasSize(6);
    }

    @Test
    void theMaximumIsConfigurable() {
        try (Store two = TestStores.store(Map.of("max-redirects", "2"));
             Store none = TestStores.store(Map.of("max-redirects", "0"))) {
            assertThatThrownBy(() -> read(two, server.uri("/hop/2")))
                    .isInstanceOf(TooManyRedirectsException.class).hasMessageContaining("more than 2 redirects");
            assertThat(read(two, server.uri("/hop/1"))).isEqualTo(DATA);
            assertThatThrownBy(() -> none.size(none.location(server.uri("/hop/0"))))
                    .isInstanceOf(TooManyRedirectsException.class)
                    .hasMessageStartingWith("Cannot get the size of " + server.uri("/hop/0")
                            + ": more than 0 redirects");
        }
    }

    @Test
    void aRedirectLoopIsDetected() {
        URI start = server.uri("/loop/a");
        try (Store store = TestStores.store(Map.of("max-redirects", "20"))) {
            assertThatThrownBy(() -> read(store, start))
                    .isInstanceOf(TooManyRedirectsException.class)
                    .hasMessage("Cannot read " + start + ": redirect loop " + start + " -> " + server.uri("/loop/b")
                            + " -> " + start);
            assertThatThrownBy(() -> read(store, server.uri("/self")))
                    .isInstanceOf(TooManyRedirectsException.class).hasMessageContaining("redirect loop");
        }
        // detected when the loop closes, not after max-redirects requests
        assertThat(server.seen()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void everyRedirectStatusIsFollowedAndTheQueryKept(int status) {
        try (Store store = TestStores.store()) {
            assertThat(new String(read(store, server.uri("/status/" + status)))).isEqualTo("query=from=" + status);
        }
    }

    @Test
    void queryStringsOfTheLocationAndTheTargetAreKept() {
        try (Store store = TestStores.store()) {
            // a Location that is only a query replaces the query on the same path (RFC 3986 5.2.2)
            read(store, server.uri("/queryonly?old=1"));
            assertThat(server.seen()).extracting(seen -> seen.uri().toString())
                    .containsExactly("/queryonly?old=1", "/queryonly?sig=a%2Fb&exp=9");
            assertThat(new String(read(store, server.uri("/relative/dir/start?q=2")))).isEqualTo("query=x=1");
        }
    }

    @Test
    void theRangeHeaderTravelsWithTheRedirect() {
        try (Store store = TestStores.store()) {
            assertThat(read(store, server.uri("/hop/1"), ByteRange.from(69_990))).isEqualTo(slice(DATA, 69_990, 10));
        }
        assertThat(server.seen()).extracting(ScriptedServer.Seen::range).containsOnly("bytes=69990-");
    }

    @Test
    void errorsAfterARedirectSayWhereTheyCameFrom() {
        URI start = server.uri("/tomissing");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> read(store, start))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessage("Cannot read " + start + ": no such object (HTTP 404 Not Found) (after 1 redirect,"
                            + " from " + files.uri("nothing") + ")");
        }
    }

    @Test
    void aRedirectToCredentialsIsRefusedWithoutShowingThem() {
        URI start = server.uri("/withcredentials");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> read(store, start))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot read " + start + ": the server redirected to http://***@127.0.0.1:1/secret,"
                            + " a URL with credentials; refused")
                    .message().doesNotContain("hunter2").doesNotContain("admin");
        }
    }

    @Test
    void redirectsToOtherSchemesOrWithoutLocationAreRefused() {
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> read(store, server.uri("/toftp")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot read " + server.uri("/toftp") + ": the server redirected to ftp://127.0.0.1/x,"
                            + " which is not an http or https URL");
            assertThatThrownBy(() -> read(store, server.uri("/nolocation")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot read " + server.uri("/nolocation") + ": HTTP 302 without a Location header");
        }
    }

    @Test
    void resolvesReferencesAsRfc3986Says() throws Exception {
        URI base = URI.create("http://h:8/a/b/c?q=1");
        assertThat(Fetcher.resolve(base, "?x=2")).hasToString("http://h:8/a/b/c?x=2");
        assertThat(Fetcher.resolve(base, "")).hasToString("http://h:8/a/b/c?q=1");
        assertThat(Fetcher.resolve(base, "d?y")).hasToString("http://h:8/a/b/d?y");
        assertThat(Fetcher.resolve(base, "/z")).hasToString("http://h:8/z");
        assertThat(Fetcher.resolve(base, "//other/p?k")).hasToString("http://other/p?k");
        assertThat(Fetcher.resolve(base, "https://x/y#f")).hasToString("https://x/y");
        assertThat(Fetcher.resolve(URI.create("http://h"), "p")).hasToString("http://h/p");
    }

    @Test
    void aStepDownFromHttpsToHttpIsRefused() {
        URI base = URI.create("https://secure.example/x");
        assertThatThrownBy(() -> Fetcher.redirectTarget(base, "http://plain.example/x", "read " + base, ""))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot read https://secure.example/x: the server redirected from https to"
                        + " http://plain.example/x; a step down to plain http is refused");
        assertThat(Fetcher.redirectTarget(URI.create("http://a/x"), "https://b/y", "read", ""))
                .hasToString("https://b/y");
    }
}
