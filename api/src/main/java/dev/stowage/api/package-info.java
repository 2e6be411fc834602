/**
 * The caller API of Stowage: what a registry or a client uses.
 *
 * <ul>
 *   <li>{@link dev.stowage.api.Stores}: named stores built from {@code stowage.*} configuration, with drivers found by
 *       {@link java.util.ServiceLoader}; adds to one store or, in one pass over the data, to several
 *       ({@link dev.stowage.api.Stores#addAll}, {@link dev.stowage.api.FanOutMode}); reads, sizes and deletes by
 *       location; orders locations with the configured strategy and reads them with failover
 *       ({@link dev.stowage.api.Stores#open}).</li>
 *   <li>Values: {@link dev.stowage.api.Location} (never carries credentials), {@link dev.stowage.api.ByteRange},
 *       {@link dev.stowage.api.AddResult}, {@link dev.stowage.api.Multihash}, {@link dev.stowage.api.FanOutResult},
 *       {@link dev.stowage.api.ExpectedContent}.</li>
 *   <li>Errors: unchecked {@link dev.stowage.api.StoreException} subtypes, each with a stable
 *       {@link dev.stowage.api.ErrorCode} and {@link dev.stowage.api.StoreException#retryable()}; messages read
 *       {@code Cannot <verb> <location>: <reason>} and never hold a secret.</li>
 * </ul>
 *
 * Driver authors implement the SPI in {@code dev.stowage.spi} instead.
 */
package dev.stowage.api;
