/**
 * The file-system store: type {@code file}, locations {@code file:///<data directory>/<image id>} (glance's
 * {@code filesystem://} accepted when parsing).
 */
module dev.stowage.file {
    requires transitive dev.stowage.api;
    requires com.fasterxml.jackson.databind;

    exports dev.stowage.file;

    provides dev.stowage.spi.StoreDriver with dev.stowage.file.FileStoreDriver;
}
