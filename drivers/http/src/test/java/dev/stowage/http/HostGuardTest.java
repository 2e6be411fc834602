package dev.stowage.http;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.ForbiddenException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static dev.stowage.http.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSRF guard: allow and deny lists of names, addresses, networks and address classes. */
class HostGuardTest {
    private static ScriptedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ScriptedServer.http()
                .on("/image", exchange -> ScriptedServer.send(exchange, 200, new byte[] {1, 2, 3}))
                // 127.0.0.2 is loopback too, so the redirect target answers, unless the guard stops it
                .on("/elsewhere", exchange -> ScriptedServer.redirect(exchange, 302,
                        "http://127.0.0.2:" + server.port() + "/image"))
                .on("/by-name", exchange -> ScriptedServer.redirect(exchange, 302,
                        "http://localhost:" + server.port() + "/image"));
    }

    @BeforeEach
    void forget() {
        server.forget();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<HostRule> rules(String text) {
        return HostRule.parseList(text);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void networksMatchByPrefix() throws Exception {
        HostRule ten = HostRule.parse("10.0.0.0/8");
        assertThat(ten.matchesAddress(ip("10.200.3.4"))).isTrue();
        assertThat(ten.matchesAddress(ip("11.0.0.1"))).isFalse();
        HostRule odd = HostRule.parse("172.16.0.0/12");
        assertThat(odd.matchesAddress(ip("172.31.255.255"))).isTrue();
        assertThat(odd.matchesAddress(ip("172.32.0.0"))).isFalse();
        HostRule single = HostRule.parse("192.0.2.7");
        assertThat(single.matchesAddress(ip("192.0.2.7"))).isTrue();
        assertThat(single.matchesAddress(ip("192.0.2.8"))).isFalse();
        HostRule v6 = HostRule.parse("fd00::/8");
        assertThat(v6.matchesAddress(ip("fd12:3456::1"))).isTrue();
        assertThat(v6.matchesAddress(ip("fe80::1"))).isFalse();
        assertThat(v6.matchesAddress(ip("10.0.0.1"))).isFalse();
        assertThat(HostRule.parse("0.0.0.0/0").matchesAddress(ip("8.8.8.8"))).isTrue();
    }

    @Test
    void keywordsCoverTheUsualInternalAddresses() throws Exception {
        assertThat(HostRule.parse("loopback").matchesAddress(ip("127.9.9.9"))).isTrue();
        assertThat(HostRule.parse("loopback").matchesAddress(ip("::1"))).isTrue();
        assertThat(HostRule.parse("link-local").matchesAddress(ip("169.254.169.254"))).isTrue();
        assertThat(HostRule.parse("link-local").matchesAddress(ip("fe80::1"))).isTrue();
        for (String address : List.of("10.1.1.1", "172.20.0.1", "192.168.1.1", "100.64.0.1", "fd00::1")) {
            assertThat(HostRule.parse("private").matchesAddress(ip(address))).as(address).isTrue();
        }
        assertThat(HostRule.parse("private").matchesAddress(ip("8.8.8.8"))).isFalse();
        assertThat(HostRule.parse("unspecified").matchesAddress(ip("0.0.0.0"))).isTrue();
        // an IPv4-mapped IPv6 literal is the IPv4 address
        assertThat(HostRule.parse("loopback").matchesAddress(ip("::ffff:127.0.0.1"))).isTrue();
    }

    @Test
    void namesMatchExactlyOrAsSubdomains() {
        HostRule exact = HostRule.parse("Images.Example.com");
        assertThat(exact.matchesName("images.example.com")).isTrue();
        assertThat(exact.matchesName("IMAGES.example.com.")).isTrue();
        assertThat(exact.matchesName("x.images.example.com")).isFalse();
        HostRule wildcard = HostRule.parse("*.example.com");
        assertThat(wildcard.matchesName("a.b.example.com")).isTrue();
        assertThat(wildcard.matchesName("example.com")).isFalse();
        assertThat(wildcard.matchesName("badexample.com")).isFalse();
        assertThat(exact.matchesAddress(InetAddress.getLoopbackAddress())).isFalse();
    }

    @Test
    void badEntriesAreConfigurationErrorsNamingTheKey() {
        assertThatThrownBy(() -> TestStores.store(Map.of("deny-hosts", "loopback, 10.0.0.0/33")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store web: option 'stowage.stores.web.deny-hosts' has invalid value"
                        + " 'loopback, 10.0.0.0/33': '10.0.0.0/33' is not a CIDR network: the prefix length must be"
                        + " 0 to 32");
        assertThatThrownBy(() -> TestStores.store(Map.of("allow-hosts", "images_example.com")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("'images_example.com' is not a host name, IP address, CIDR network or one of"
                        + " loopback, link-local, private, unspecified");
        assertThatThrownBy(() -> TestStores.store(Map.of("allow-hosts", "300.1.1.1/8")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("'300.1.1.1/8' is not a CIDR network: '300.1.1.1' is not an IP address");
        assertThat(rules(" a.example , ,10.0.0.0/8 ")).extracting(HostRule::text)
                .containsExactly("a.example", "10.0.0.0/8");
    }

    @Test
    void withoutRulesEveryHostIsReadAndNothingIsResolved() throws Exception {
        assertThat(HostGuard.none().refusal("no-such-host.invalid")).isEmpty();
        try (Store store = TestStores.store()) {
            assertThat(read(store, server.uri("/image"))).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aDeniedNetworkIsRefusedBeforeAnyRequest() {
        URI uri = server.uri("/image");
        try (Store store = TestStores.store(Map.of("deny-hosts", "link-local,loopback"))) {
            assertThatThrownBy(() -> read(store, uri))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessage("Cannot read " + uri + ": host 127.0.0.1 resolves to 127.0.0.1, which is denied by"
                            + " deny-hosts entry 'loopback'");
            assertThatThrownBy(() -> store.size(store.location(URI.create("http://localhost:" + server.port()))))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessageContaining(": host localhost resolves to ")
                    .hasMessageEndingWith(", which is denied by deny-hosts entry 'loopback'");
        }
        assertThat(server.seen()).isEmpty();
    }

    @Test
    void aDeniedNameIsRefusedWithoutResolvingIt() throws Exception {
        HostGuard guard = new HostGuard(List.of(), rules("*.internal.example"));
        assertThat(guard.refusal("db.internal.example"))
                .hasValue("host db.internal.example is denied by deny-hosts entry '*.internal.example'");
    }

    @Test
    void theGuardAppliesAfterEveryRedirect() {
        URI start = server.uri("/elsewhere");
        try (Store store = TestStores.store(Map.of("allow-hosts", "127.0.0.1/32"))) {
            assertThat(read(store, server.uri("/image"))).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> read(store, start))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessage("Cannot read " + start + ": host 127.0.0.2 resolves to 127.0.0.2, not covered by"
                            + " allow-hosts (redirected to http://127.0.0.2:" + server.port() + "/image)");
        }
        assertThat(server.seen()).extracting(seen -> seen.uri().getPath()).containsExactly("/image", "/elsewhere");
    }

    @Test
    void allowedNamesAndDenyWinsOverAllow() {
        URI named = URI.create("http://localhost:" + server.port() + "/image");
        try (Store byName = TestStores.store(Map.of("allow-hosts", "localhost"));
             Store denied = TestStores.store(Map.of("allow-hosts", "localhost", "deny-hosts", "127.0.0.0/8"))) {
            assertThat(read(byName, named)).containsExactly(1, 2, 3);
            // an address that is not named is not allowed by a name rule
            assertThatThrownBy(() -> read(byName, server.uri("/by-name")))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessage("Cannot read " + server.uri("/by-name") + ": host 127.0.0.1 is not in allow-hosts");
            assertThatThrownBy(() -> read(denied, named))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessage("Cannot read " + named + ": host localhost resolves to 127.0.0.1, which is denied by"
                            + " deny-hosts entry '127.0.0.0/8'");
        }
    }
}
