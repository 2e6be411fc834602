package dev.stowage.spi;

import dev.stowage.api.Location;

import java.util.List;

/**
 * Orders the locations of one image, best first. Found by {@link #name()} with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.stowage.spi.LocationStrategy}).
 *
 * <p>Contract (checked by the kit's {@code LocationStrategyContract}): the result is a new list holding a permutation
 * of the input (nothing lost, nothing duplicated), deterministic, stable for locations the strategy ranks equal;
 * an empty input gives an empty list; a null list or null element fails with a {@link NullPointerException} that
 * says which.
 */
public interface LocationStrategy {
    /** The name used in configuration ({@code stowage.location-strategy}), e.g. {@code store_type}. */
    String name();

    /** The locations in preference order. */
    List<Location> order(List<Location> locations, StrategyContext context);
}
