/**
 * Location strategies and client-side direct access.
 *
 * <ul>
 *   <li>{@link dev.stowage.strategy.LocationOrderStrategy}, {@link dev.stowage.strategy.StoreTypeStrategy} and
 *       {@link dev.stowage.strategy.WeightStrategy}: the built-in {@link dev.stowage.spi.LocationStrategy}
 *       implementations, registered with {@link java.util.ServiceLoader};</li>
 *   <li>{@link dev.stowage.strategy.LocationStrategies}: finds a strategy by name, for clients that configure no
 *       stores; {@link dev.stowage.strategy.LocationOrdering}: a strategy with its context, read from
 *       configuration;</li>
 *   <li>{@link dev.stowage.strategy.MountTable} and {@link dev.stowage.strategy.DirectAccess}: copy an image straight
 *       from a shared file system mounted on the client, verified, with a streaming fallback.</li>
 * </ul>
 */
package dev.stowage.strategy;
