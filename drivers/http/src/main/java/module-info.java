/**
 * Stowage HTTP store: a read-only store of {@code http} and {@code https} locations on {@code java.net.http}, with
 * range reads, driver-followed redirects, verified TLS and an optional host guard.
 */
module dev.stowage.http {
    requires dev.stowage.api;
    requires java.net.http;

    provides dev.stowage.spi.StoreDriver with dev.stowage.http.HttpStoreDriver;
}
