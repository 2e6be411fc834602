package dev.stowage.http;

import dev.stowage.api.ByteRange;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static dev.stowage.http.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;

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
}
