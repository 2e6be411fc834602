package dev.stowage.http;

import dev.stowage.api.ExpectedContent;
import dev.stowage.api.Location;
import dev.stowage.api.Stores;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static dev.stowage.http.RawServer.ascii;
import static dev.stowage.http.TestStores.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP store through the caller API: configured by type, found by ServiceLoader, and serving a failover read that
 * resumes with a range on the second mirror after the first one drops the connection mid-body (glance's http store
 * could only restart from byte 0).
 */
class StoresFailoverTest {

    @Test
    void aReadResumesOnTheNextMirrorWhereTheFirstOneBroke() throws Exception {
        byte[] data = bytes(200_000, 6);
        try (FileServer mirror = new FileServer();
             RawServer broken = new RawServer((request, out) -> {
                 out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + data.length + "\r\n\r\n"));
                 out.write(data, 0, 50_000);
             });
             Stores stores = Stores.fromMap(Map.of("stowage.stores.web.type", "http"))) {
            Location first = stores.location(broken.uri("/a.img"));
            Location second = stores.location(mirror.put("a.img", data));
            assertThat(first.store()).isEqualTo("web");
            try (InputStream in = stores.open(List.of(first, second), ExpectedContent.ofSize(data.length))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }
}
