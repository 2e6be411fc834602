package dev.stowage.bench.jmh;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;
import dev.stowage.strategy.LocationStrategies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Ordering {@value #COUNT} locations of one image with each built-in strategy: a mix of file, http, s3 and swift
 * locations made by eight stores of different weights, with the preference {@code s3, file} (so store_type really
 * reorders).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OrderingBenchmark {
    /** Locations per ordering. */
    public static final int COUNT = 10_000;

    @Param({"location_order", "store_type", "weight"})
    public String strategy;

    private LocationStrategy ordering;
    private List<Location> locations;
    private StrategyContext context;

    @Setup
    public void setUp() {
        ordering = switch (strategy) {
            case "location_order" -> LocationStrategies.locationOrder();
            case "store_type" -> LocationStrategies.storeType();
            case "weight" -> LocationStrategies.weight();
            default -> throw new IllegalArgumentException("unknown strategy " + strategy);
        };
        SplittableRandom random = new SplittableRandom(7);
        String[] prefixes = {"file:///var/lib/images/", "http://mirror.example/images/", "s3://bucket/images/",
            "swift+https://swift.example/v1/images/"};
        locations = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            String prefix = prefixes[random.nextInt(prefixes.length)];
            String store = "store" + random.nextInt(8);
            locations.add(Location.of(URI.create(prefix + "image-" + i), store, Map.of("id", "fs" + (i % 3))));
        }
        locations = List.copyOf(locations);
        context = new StrategyContext(Map.of("store0", 10, "store1", 50, "store2", 5, "store3", 50, "store4", 100,
                "store5", 0, "store6", 20), List.of("s3", "file"));
    }

    @Benchmark
    public List<Location> order() {
        return ordering.order(locations, context);
    }
}
