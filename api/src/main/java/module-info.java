/**
 * Stowage caller API ({@code dev.stowage.api}) and driver SPI ({@code dev.stowage.spi}). No run-time dependency
 * beyond the JDK.
 */
@SuppressWarnings("module") // the qualified export names a module that is compiled later in the reactor
module dev.stowage.api {
    exports dev.stowage.api;
    exports dev.stowage.spi;
    // "did you mean" hints, shared with the built-in modules only
    exports dev.stowage.internal to dev.stowage.strategy;

    uses dev.stowage.spi.StoreDriver;
    uses dev.stowage.spi.LocationStrategy;
}
