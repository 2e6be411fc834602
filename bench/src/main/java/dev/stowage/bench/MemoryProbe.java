package dev.stowage.bench;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.Stores;
import dev.stowage.spi.Store;
import dev.stowage.strategy.CopyResult;
import dev.stowage.strategy.DirectAccess;
import dev.stowage.strategy.MountTable;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory measurement, in a child JVM started by the harness with a small {@code -Xmx}: sets up the store, then
 * resets the peaks (heap pools' peak usage; the kernel's peak RSS through {@code /proc/self/clear_refs}), runs one
 * operation on an object of the given size, and prints
 * {@code PROBE bytes=.. nanos=.. heap=<peak heap> rss=<VmHWM> rssReset=<true|false> live=<live heap or -1>
 * samples=<n> note=..} (sizes in bytes). With {@code mode=live} it measures the live heap instead ({@link Live}). A
 * failure
 * (an {@link OutOfMemoryError} above all) prints {@code PROBE-FAILED <error>} and exits with status 3.
 *
 * <p>Operations: {@code idle}, {@code file-add}, {@code file-get}, {@code direct-copy}, {@code http-get},
 * {@code s3-add-known}, {@code s3-add-unknown}, {@code s3-get}; parameters are {@code key=value} arguments (the S3
 * credentials come from the environment: {@code BENCH_S3_ACCESS_KEY}, {@code BENCH_S3_SECRET_KEY}).
 */
final class MemoryProbe {
    private MemoryProbe() {
    }

    @FunctionalInterface
    private interface Operation {
        long run() throws Exception;
    }

    public static void main(String[] args) {
        try {
            if (args.length == 0) {
                throw new IllegalArgumentException("usage: probe <operation> [key=value ...]");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not key=value: " + args[i]);
                }
                params.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
            StringBuilder note = new StringBuilder();
            long expected = params.containsKey("size") ? Long.parseLong(params.get("size")) : 0;
            Stores stores = stores(args[0], params);
            try {
                Operation operation = operation(args[0], params, stores, note);
                boolean liveMode = "live".equals(params.get("mode"));
                List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
                System.gc();
                heap.forEach(MemoryPoolMXBean::resetPeakUsage);
                boolean rssReset = resetPeakRss();
                Thread sampler = null;
                if (liveMode) {
                    LIVE.on = true;
                    sampler = new Thread(LIVE::sampleEvery250Ms, "live-heap-sampler");
                    sampler.setDaemon(true);
                    sampler.start();
                }
                long start = System.nanoTime();
                long bytes = operation.run();
                long nanos = System.nanoTime() - start;
                long peakHeap = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
                long rss = peakRss();
                if (sampler != null) {
                    LIVE.on = false;
                    sampler.interrupt();
                    sampler.join();
                    LIVE.checkpoint(); // what the operation left behind
                }
                if (bytes != expected) {
                    throw new IllegalStateException(args[0] + " moved " + bytes + " bytes, expected " + expected);
                }
                System.out.println("PROBE bytes=" + bytes + " nanos=" + nanos + " heap=" + peakHeap + " rss=" + rss
                        + " rssReset=" + rssReset + " live=" + (liveMode ? LIVE.max : -1) + " samples="
                        + LIVE.samples + " note=" + (note.length() == 0 ? "-" : note));
            } finally {
                if (stores != null) {
                    stores.close();
                }
            }
            System.exit(0);
        } catch (Throwable e) {
            System.out.println("PROBE-FAILED " + e);
            e.printStackTrace();
            System.exit(3);
        }
    }

    /** The stores an operation uses; null for those that use none (so their memory is not counted). */
    private static Stores stores(String operation, Map<String, String> params) {
        Map<String, String> config = new LinkedHashMap<>();
        switch (operation) {
            case "file-add", "file-get" -> {
                config.put("stowage.stores.files.type", "file");
                config.put("stowage.stores.files.datadir", require(params, "datadir"));
            }
            case "http-get" -> config.put("stowage.stores.web.type", "http");
            case "s3-add-known", "s3-add-unknown", "s3-get" -> {
                // credentials of the harness's local S3Proxy, passed in the environment rather than the command line
                config.put("stowage.stores.objects.type", "s3");
                config.put("stowage.stores.objects.endpoint", require(params, "endpoint"));
                config.put("stowage.stores.objects.bucket", require(params, "bucket"));
                config.put("stowage.stores.objects.access-key", System.getenv("BENCH_S3_ACCESS_KEY"));
                config.put("stowage.stores.objects.secret-key", System.getenv("BENCH_S3_SECRET_KEY"));
            }
            case "idle", "direct-copy" -> {
                return null;
            }
            default -> throw new IllegalArgumentException("unknown probe operation '" + operation + "'");
        }
        return Stores.fromMap(config);
    }

    private static Operation operation(String name, Map<String, String> params, Stores stores, StringBuilder note) {
        long size = params.containsKey("size") ? Long.parseLong(params.get("size")) : 0;
        return switch (name) {
            case "idle" -> () -> 0;
            case "file-add" -> () -> {
                Store store = stores.store("files");
                try (InputStream data = new TestData.Generated(size, Long.parseLong(require(params, "seed")),
                        Live::checkpointIfOn)) {
                    AddResult result = store.add(require(params, "id"), data, size, AddOptions.defaults());
                    note.append(result.multihash());
                    return result.bytesWritten();
                }
            };
            case "file-get" -> () -> {
                Store store = stores.store("files");
                Path file = Path.of(require(params, "datadir")).toRealPath().resolve(require(params, "id"));
                try (InputStream in = store.get(store.location(file.toUri()), ByteRange.all())) {
                    return drainThenCheckpoint(in);
                }
            };
            case "direct-copy" -> () -> {
                Path mount = Path.of(require(params, "mount")).toRealPath();
                Path target = Path.of(require(params, "target"));
                Location location = Location.of(mount.resolve(require(params, "id")).toUri(), "files",
                        Map.of(MountTable.ID_METADATA, "probe-fs", MountTable.MOUNTPOINT_METADATA, mount.toString()));
                String[] hash = require(params, "multihash").split(":", 2);
                DirectAccess direct = DirectAccess.create(MountTable.of(Map.of("probe-fs", mount)), locations -> {
                    throw new IOException("the probe expects a direct copy, not the streaming fallback");
                });
                CopyResult result = direct.copy(List.of(location), size,
                        new Multihash(HashAlgorithm.fromId(hash[0]), hash[1]), target);
                if (result.method() != CopyResult.Method.DIRECT) {
                    throw new IllegalStateException("streamed instead of copying directly: " + result);
                }
                return Files.size(target);
            };
            case "s3-add-known", "s3-add-unknown" -> () -> {
                Store store = stores.store("objects");
                try (InputStream data = new TestData.Generated(size, Long.parseLong(require(params, "seed")),
                        Live::checkpointIfOn)) {
                    AddResult result = store.add(require(params, "id"), data,
                            name.equals("s3-add-known") ? size : Store.UNKNOWN_SIZE, AddOptions.defaults());
                    note.append(result.location().uri());
                    return result.bytesWritten();
                }
            };
            case "s3-get" -> () -> {
                Store store = stores.store("objects");
                try (InputStream in = store.get(store.location(URI.create(require(params, "uri"))), ByteRange.all())) {
                    return drainThenCheckpoint(in);
                }
            };
            case "http-get" -> () -> {
                Store store = stores.store("web");
                try (InputStream in = store.get(store.location(URI.create(require(params, "url"))),
                        ByteRange.all())) {
                    return drainThenCheckpoint(in);
                }
            };
            default -> throw new IllegalArgumentException("unknown probe operation '" + name + "'");
        };
    }

    private static final Live LIVE = new Live();

    /**
     * The live heap in {@code mode=live}: the heap in use right after a full collection ({@link System#gc()}), taken
     * every 250 ms while the operation runs, at the end of the data (the stream still open) and once after it. The
     * peak heap and RSS of such a run are not reported (the forced collections change them); they come from a run
     * without them.
     */
    static final class Live {
        volatile boolean on;
        volatile long max = -1;
        volatile int samples;

        /** A full collection and a sample, when live mode is on (the probe's hooks call this). */
        static void checkpointIfOn() {
            if (LIVE.on) {
                LIVE.checkpoint();
            }
        }

        synchronized void checkpoint() {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            max = Math.max(max, used);
            samples++;
        }

        void sampleEvery250Ms() {
            try {
                while (on) {
                    Thread.sleep(250);
                    if (on) {
                        checkpoint();
                    }
                }
            } catch (InterruptedException e) {
                // the operation is over
            }
        }
    }

    /** Reads to the end, then (live mode) samples the heap while the stream is still open. */
    private static long drainThenCheckpoint(InputStream in) throws IOException {
        long count = Throughput.drain(in);
        Live.checkpointIfOn();
        return count;
    }

    private static String require(Map<String, String> params, String key) {
        String value = params.get(key);
        if (value == null) {
            throw new IllegalArgumentException("probe parameter '" + key + "' is missing");
        }
        return value;
    }

    /** Resets VmHWM to the current RSS (Linux: {@code echo 5 > /proc/self/clear_refs}); false when not possible. */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** VmHWM of {@code /proc/self/status} in bytes; -1 when not on Linux. */
    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
