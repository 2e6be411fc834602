package dev.stowage.spi;

import java.util.List;
import java.util.Set;

/**
 * A kind of backend, found with {@link java.util.ServiceLoader}. Register an implementation in
 * {@code META-INF/services/dev.stowage.spi.StoreDriver} and with {@code provides dev.stowage.spi.StoreDriver with ...}
 * in {@code module-info.java}. The driver is cheap and stateless; the heavy clients belong to the stores it creates.
 */
public interface StoreDriver {
    /** The type name used in configuration, e.g. {@code file}: lower case, unique among drivers. */
    String type();

    /** The URI schemes whose locations this driver's stores parse, lower case, e.g. {@code s3}, {@code s3+https}. */
    Set<String> schemes();

    /** Every option the driver accepts. Configuration keys that are not declared here are rejected. */
    List<Option<?>> options();

    /**
     * Makes a store from validated configuration. Fails with a {@link dev.stowage.api.ConfigurationException} when the
     * backend cannot be used as configured (never returns a store that silently lacks what was configured).
     */
    Store create(StoreConfig config);
}
