/**
 * Stowage HTTP store: a read-only store of {@code http} and {@code https} locations on the JDK's
 * {@code HttpURLConnection} (blocking reads in the caller's thread), with range reads, driver-followed redirects,
 * verified TLS and an optional host guard.
 */
module dev.stowage.http {
    requires dev.stowage.api;

    provides dev.stowage.spi.StoreDriver with dev.stowage.http.HttpStoreDriver;
}
