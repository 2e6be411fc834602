package dev.stowage.http;

import dev.stowage.api.AddOptions;
import dev.stowage.api.Capability;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Locations, read-only behaviour, configuration and discovery. */
class LocationAndContractTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://images.example/a.img", "https://images.example:8443/v2/a.img?sig=x%2By&exp=1",
            "HTTP://Images.Example/", "http://[::1]:8080/a", "http://10.0.0.1"})
    void locationsRoundTrip(String text) {
        URI uri = URI.create(text);
        try (Store store = TestStores.store()) {
            Location location = store.location(uri);
            assertThat(location.uri()).isEqualTo(uri);
            assertThat(location.store()).isEqualTo("web");
            assertThat(location.metadata()).isEmpty();
            assertThat(store.location(location.uri())).isEqualTo(location);
        }
    }

    @Test
    void aUrlWithCredentialsIsRejectedAndShownRedacted() {
        URI uri = URI.create("https://admin:s3cr3t@images.example/a.img?x=1");
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.location(uri))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location https://***@images.example/a.img?x=1: a location must not carry"
                            + " credentials (user info in the URL)")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cr3t").doesNotContain("admin"));
            assertThatThrownBy(() -> store.location(URI.create("http://token@images.example/a")))
                    .isInstanceOf(InvalidLocationException.class).message().doesNotContain("token");
            // "host.." is no host name: the JDK keeps the authority whole (registry based) and reports no user info
            assertThatThrownBy(() -> store.location(URI.create("http://admin:s3cr3t@host../a")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location http://***@host../a: a location must not carry credentials"
                            + " (user info in the URL)");
            // a secret holding '/' ends the authority for the JDK ("admin:s3"): the rest looks like a path
            assertThatThrownBy(() -> store.location(URI.create("http://admin:s3/cr/3t@images.example/a")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location http://***@images.example/a: the URL has no valid host (expected"
                            + " http://host/path)");
        }
    }

    @Test
    void foreignAndMalformedLocationsAreRejected() {
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.location(URI.create("s3://bucket/key")))
                    .isInstanceOf(UnknownSchemeException.class)
                    .hasMessage("Cannot use location s3://bucket/key: store web handles schemes http and https,"
                            + " not s3");
            assertThatThrownBy(() -> store.location(URI.create("/a/b")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location /a/b: the URI has no scheme (expected http://host/path or"
                            + " https://host/path)");
            assertThatThrownBy(() -> store.location(URI.create("http:opaque")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location http:opaque: the URL has no valid host (expected"
                            + " http://host/path)");
            assertThatThrownBy(() -> store.location(URI.create("http:///path")))
                    .isInstanceOf(InvalidLocationException.class).hasMessageContaining("has no valid host");
            assertThatThrownBy(() -> store.location(URI.create("http://bad_host/path")))
                    .isInstanceOf(InvalidLocationException.class).hasMessageContaining("has no valid host");
            assertThatThrownBy(() -> store.location(URI.create("http://h/a#frag")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location http://h/a#frag: a fragment (#...) is never sent to the server;"
                            + " remove it");
            assertThatThrownBy(() -> store.location(URI.create("http://h/a/../../etc/passwd")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location http://h/a/../../etc/passwd: the path holds a '..' segment");
            assertThatThrownBy(() -> store.location(URI.create("http://h/a/%2e%2e/b")))
                    .isInstanceOf(InvalidLocationException.class).hasMessageEndingWith("holds a '..' segment");
            assertThatThrownBy(() -> store.location(URI.create("http://h/a%00b")))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location http://h/a%00b: the path holds control character U+0000");
            String longPath = "a".repeat(HttpStore.MAX_URI_LENGTH);
            assertThatThrownBy(() -> store.location(URI.create("http://h/" + longPath)))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessageEndingWith("...: the URL is longer than 8192 characters");
        }
    }

    @Test
    void addAndDeleteAreUnsupportedOperations() {
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> store.add("image-1", new ByteArrayInputStream(new byte[] {1}), 1,
                    AddOptions.defaults()))
                    .isInstanceOf(OperationNotSupportedException.class)
                    .hasMessage("Cannot add 'image-1' to store web: http stores are read-only (no WRITE capability)")
                    .satisfies(e -> assertThat(((OperationNotSupportedException) e).capability())
                            .isEqualTo(Capability.WRITE));
            Location location = store.location(URI.create("http://images.example/a"));
            assertThatThrownBy(() -> store.delete(location))
                    .isInstanceOf(OperationNotSupportedException.class)
                    .hasMessage("Cannot delete http://images.example/a in store web: http stores are read-only"
                            + " (no DELETE capability)")
                    .satisfies(e -> assertThat(((OperationNotSupportedException) e).capability())
                            .isEqualTo(Capability.DELETE));
        }
    }

    @Test
    void aClosedStoreRefusesEverything() {
        Store store = TestStores.store();
        Location location = store.location(URI.create("http://images.example/a"));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get(location, dev.stowage.api.ByteRange.all()))
                .isInstanceOf(StoreClosedException.class).hasMessage("Cannot use store web: it is closed");
        assertThatThrownBy(() -> store.add("x", new ByteArrayInputStream(new byte[0]), 0, AddOptions.defaults()))
                .isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.delete(location)).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void theDriverIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(StoreDriver.class).stream().map(ServiceLoader.Provider::get)
                .filter(driver -> driver.type().equals("http")).toList())
                .singleElement()
                .satisfies(driver -> {
                    assertThat(driver).isInstanceOf(HttpStoreDriver.class);
                    assertThat(driver.schemes()).containsExactlyInAnyOrder("http", "https");
                });
    }

    @Test
    void optionsAreTypedAndValidated() {
        HttpStoreDriver driver = new HttpStoreDriver();
        assertThat(driver.options()).extracting(option -> option.name()).containsExactly("max-redirects", "ca-file",
                "insecure", "connect-timeout", "read-timeout", "proxy", "allow-hosts", "deny-hosts", "user-agent");
        assertThatThrownBy(() -> TestStores.store(Map.of("max-redirect", "3")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store web: unknown option 'stowage.stores.web.max-redirect'"
                        + " (did you mean 'max-redirects'?)");
        assertThatThrownBy(() -> TestStores.store(Map.of("max-redirects", "-1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store web: option 'stowage.stores.web.max-redirects' has invalid value"
                        + " '-1': must be 0 to 20");
        assertThatThrownBy(() -> TestStores.store(Map.of("read-timeout", "0s")))
                .isInstanceOf(ConfigurationException.class).hasMessageEndingWith("must be positive");
        assertThatThrownBy(() -> TestStores.store(Map.of("insecure", "yes")))
                .isInstanceOf(ConfigurationException.class).hasMessageEndingWith("expected true or false");
    }

    @Test
    void aProxyUrlWithCredentialsIsRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> TestStores.store(Map.of("proxy", "http://user:pa55@proxy.example:3128")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store web: option 'stowage.stores.web.proxy' has invalid value"
                        + " ****: credentials in the proxy URL are not supported")
                .message().doesNotContain("pa55");
        // the option is secret as a whole: a refused value is not shown, even without credentials in it
        assertThatThrownBy(() -> TestStores.store(Map.of("proxy", "socks://proxy.example:1080")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store web: option 'stowage.stores.web.proxy' has invalid value"
                        + " ****: the proxy must be an http:// URL");
        HttpStoreDriver driver = new HttpStoreDriver();
        StoreConfig config = StoreConfig.of("web", driver.options(), Map.of("proxy", "http://proxy.example:3128"));
        assertThat(config.toString()).contains("proxy=****");
    }
}
