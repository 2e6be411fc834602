/**
 * The built-in location strategies ({@code location_order}, {@code store_type}, {@code weight}), a name lookup for
 * clients without stores, and client-side direct file access through a mount table.
 */
module dev.stowage.strategy {
    requires transitive dev.stowage.api;

    exports dev.stowage.strategy;

    uses dev.stowage.spi.LocationStrategy;

    provides dev.stowage.spi.LocationStrategy with
            dev.stowage.strategy.LocationOrderStrategy,
            dev.stowage.strategy.StoreTypeStrategy,
            dev.stowage.strategy.WeightStrategy;
}
