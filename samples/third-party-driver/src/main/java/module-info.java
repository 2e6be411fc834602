/**
 * A content-addressed directory store for Stowage (driver type {@code cas}). The driver is found by
 * {@link java.util.ServiceLoader} on the module path through {@code provides}, and on the class path through
 * {@code META-INF/services/dev.stowage.spi.StoreDriver}.
 */
module org.example.stowage.cas {
    requires transitive dev.stowage.api; // transitive: the exported CasStoreDriver's methods use SPI types

    exports org.example.stowage.cas;

    provides dev.stowage.spi.StoreDriver with org.example.stowage.cas.CasStoreDriver;
}
