package dev.stowage.http;

import dev.stowage.api.ByteRange;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import static dev.stowage.http.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Requests go through the configured HTTP proxy. */
class ProxyTest {

    @Test
    void requestsGoThroughTheProxy() throws Exception {
        // a forward proxy sees absolute URLs; this one answers itself, so the target host need not exist
        try (ScriptedServer proxy = ScriptedServer.http()
                .on("/", exchange -> ScriptedServer.send(exchange, 200, "via proxy".getBytes()));
             Store store = TestStores.store(Map.of("proxy", "http://127.0.0.1:" + proxy.port()))) {
            URI uri = URI.create("http://images.invalid/a.img?v=1");
            assertThat(new String(read(store, uri))).isEqualTo("via proxy");
            assertThat(store.size(store.location(uri))).isEqualTo(9);
            assertThat(new String(read(store, uri, ByteRange.of(4, 5)))).isEqualTo("proxy");
            assertThat(proxy.seen()).extracting(seen -> seen.method() + " " + seen.uri())
                    .containsExactly("GET http://images.invalid/a.img?v=1", "HEAD http://images.invalid/a.img?v=1",
                            "GET http://images.invalid/a.img?v=1");
        }
    }

    @Test
    void aProxyThatCannotBeReachedIsNeverNamed() throws Exception {
        // the proxy option is secret (proxy URLs often carry credentials elsewhere): not in messages, not in causes
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        URI uri = URI.create("http://images.invalid/a.img");
        try (Store unknown = TestStores.store(Map.of("proxy", "http://proxy-name-kept-secret.invalid:3128"));
             Store refusing = TestStores.store(Map.of("proxy", "http://127.0.0.1:" + closed))) {
            assertThatThrownBy(() -> unknown.get(unknown.location(uri), ByteRange.all()))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessage("Cannot read " + uri + ": unknown host of the proxy (option proxy)")
                    .satisfies(e -> assertThat(stackTrace(e)).contains("UnknownHostException")
                            .doesNotContain("proxy-name-kept-secret"));
            assertThatThrownBy(() -> unknown.size(unknown.location(uri)))
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("proxy-name-kept-secret"));
            assertThatThrownBy(() -> refusing.get(refusing.location(uri), ByteRange.all()))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessage("Cannot read " + uri + ": cannot connect to the proxy (option proxy): connection"
                            + " refused")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(":" + closed));
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
