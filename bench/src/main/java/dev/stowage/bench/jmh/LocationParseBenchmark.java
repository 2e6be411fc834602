package dev.stowage.bench.jmh;

import dev.stowage.api.Location;
import dev.stowage.api.Stores;
import dev.stowage.spi.Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Parsing a location string the way a registry does when it reads a stored location back: {@code URI.create} then
 * the store's parser ({@link Store#location}), or the scheme lookup of {@link Stores#location(URI)} in front of it.
 * The baseline is {@code URI.create} alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
public class LocationParseBenchmark {
    @Param({"file", "http", "s3"})
    public String scheme;

    private Path dataDir;
    private Stores stores;
    private Store store;
    private String text;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dataDir = Files.createTempDirectory("stowage-bench-parse");
        stores = Stores.fromMap(Map.of(
                "stowage.stores.files.type", "file",
                "stowage.stores.files.datadir", dataDir.toString(),
                "stowage.stores.files.id", "bench-fs",
                "stowage.stores.files.mountpoint", dataDir.toString(),
                "stowage.stores.web.type", "http",
                // parsing needs no server: the endpoint is never contacted
                "stowage.stores.objects.type", "s3",
                "stowage.stores.objects.endpoint", "http://127.0.0.1:9",
                "stowage.stores.objects.bucket", "images",
                "stowage.stores.objects.key-prefix", "glance/",
                "stowage.default-store", "files"));
        switch (scheme) {
            case "file" -> {
                store = stores.store("files");
                text = "file://" + dataDir.toRealPath() + "/0b5f7c2e-6c1e-4f8e-9a57-2d0d6f1e8a11";
            }
            case "http" -> {
                store = stores.store("web");
                text = "http://mirror.example.org:8080/images/0b5f7c2e-6c1e-4f8e-9a57-2d0d6f1e8a11.qcow2";
            }
            case "s3" -> {
                store = stores.store("objects");
                text = "s3://images/glance/0b5f7c2e-6c1e-4f8e-9a57-2d0d6f1e8a11";
            }
            default -> throw new IllegalArgumentException("unknown scheme " + scheme);
        }
        // fail here, not in the measurement, if the location is not valid
        storeLocation();
        storesLocation();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        stores.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Baseline: the JDK's URI parser alone. */
    @Benchmark
    public URI uriCreate() {
        return URI.create(text);
    }

    /** The store's own parser (scheme, path/host checks, metadata). */
    @Benchmark
    public Location storeLocation() {
        return store.location(URI.create(text));
    }

    /** {@code Stores.location}: find the store by scheme, then its parser. */
    @Benchmark
    public Location storesLocation() {
        return stores.location(URI.create(text));
    }
}
