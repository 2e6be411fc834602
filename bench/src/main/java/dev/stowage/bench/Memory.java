package dev.stowage.bench;

import dev.stowage.api.Stores;
import dev.stowage.spi.Store;

import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peak heap and peak RSS of each driver operation for each object size, every measurement in a fresh child JVM with a
 * small {@code -Xmx} ({@link MemoryProbe}; the S3 adds get {@code --mem-xmx-s3}, as they hold up to
 * {@code upload-concurrency} parts of {@code part-size} by design, 40 MiB by default). Bounded memory shows as a
 * flat row: the largest object needs no more than the smallest. An operation that does not stream fails the child with
 * an {@link OutOfMemoryError}, shown in the table.
 */
final class Memory {
    /** The probes of one operation at one size: peak heap and peak RSS in bytes, or the failure. */
    record Cell(Stats heap, Stats live, Stats rss, String failure) {
        static Cell failed(String failure) {
            return new Cell(null, null, null, failure);
        }
    }

    /** One operation across the sizes, in the order of {@link Options#memSizes()}. */
    record Row(String operation, Map<Long, Cell> cells) {
        /** Largest size's median over the smallest's, or NaN when a cell failed or there is only one size. */
        double heapGrowth() {
            return growth(Cell::heap);
        }

        double rssGrowth() {
            return growth(Cell::rss);
        }

        double liveGrowth() {
            return growth(Cell::live);
        }

        private double growth(java.util.function.Function<Cell, Stats> what) {
            List<Cell> ordered = new ArrayList<>(cells.values());
            if (ordered.size() < 2 || ordered.stream().anyMatch(cell -> cell.failure() != null)) {
                return Double.NaN;
            }
            return what.apply(ordered.get(ordered.size() - 1)).median() / what.apply(ordered.get(0)).median();
        }
    }

    static final String IDLE = "idle JVM (no operation)";
    static final String FILE_ADD = "file add";
    static final String FILE_GET = "file get";
    static final String DIRECT_COPY = "direct copy";
    static final String HTTP_GET = "http get";
    private static final String S3_ADD_KNOWN = "s3-add-known";
    private static final String S3_ADD_UNKNOWN = "s3-add-unknown";
    private static final String S3_GET = "s3-get";

    private final Options options;
    private final Path dir;
    private final PrintStream progress;
    private final String classpath;

    Memory(Options options, Path dir, PrintStream progress) {
        this.options = options;
        this.dir = dir;
        this.progress = progress;
        this.classpath = System.getProperty("stowage.bench.classpath", System.getProperty("java.class.path"));
    }

    /** Runs every probe; the object of each size is written once by an add and read by the others. */
    List<Row> run() throws Exception {
        Path storeDir = Files.createDirectories(dir.resolve("mem-store"));
        Path out = Files.createDirectories(dir.resolve("mem-out"));
        Map<String, Map<Long, Cell>> table = new LinkedHashMap<>();
        List<String> operations = new ArrayList<>(List.of(IDLE, FILE_ADD, FILE_GET, DIRECT_COPY, HTTP_GET));
        if (options.runs("s3")) {
            operations.addAll(List.of(s3Label(S3_ADD_KNOWN), s3Label(S3_ADD_UNKNOWN), s3Label(S3_GET)));
        }
        operations.forEach(operation -> table.put(operation, new LinkedHashMap<>()));
        try (StaticFileServer server = StaticFileServer.serve(dir)) {
            for (long size : options.memSizes()) {
                table.get(IDLE).put(size, measure("idle", size, run -> List.of(), options.memXmx(), null).cell());
                files(size, storeDir, out, server, table);
            }
        }
        if (options.runs("s3")) {
            try (S3Fixture s3 = S3Fixture.start(dir.resolve("mem-s3proxy"));
                 Stores stores = Stores.fromMap(s3.storeConfig("objects"))) {
                for (long size : options.memSizes()) {
                    s3(size, s3, stores.store("objects"), table);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        table.forEach((operation, cells) -> rows.add(new Row(operation, cells)));
        return rows;
    }

    private void files(long size, Path storeDir, Path out, StaticFileServer server, Map<String, Map<Long, Cell>> table)
            throws Exception {
        String id = "mem-" + size;
        long xmx = options.memXmx();
        // run 0 writes the object the reads use; the other runs' objects are removed at once
        Measured adds = measure("file-add", size, run -> List.of("datadir=" + storeDir,
                "id=" + (run == 0 ? id : id + "-" + run), "size=" + size, "seed=" + size), xmx,
                (probe, run) -> {
                    if (run > 0) {
                        Files.deleteIfExists(storeDir.resolve(id + "-" + run));
                    }
                });
        table.get(FILE_ADD).put(size, adds.cell());
        if (adds.first().failure() != null) {
            for (String operation : List.of(FILE_GET, DIRECT_COPY, HTTP_GET)) {
                table.get(operation).put(size, Cell.failed("not run: the file add failed"));
            }
            return;
        }
        try {
            table.get(FILE_GET).put(size, measure("file-get", size, run -> List.of("datadir=" + storeDir,
                    "id=" + id, "size=" + size), xmx, null).cell());
            Path target = out.resolve("direct-" + size);
            table.get(DIRECT_COPY).put(size, measure("direct-copy", size, run -> List.of("mount=" + storeDir,
                    "id=" + id, "size=" + size, "multihash=" + adds.first().note(), "target=" + target), xmx,
                    (probe, run) -> Files.deleteIfExists(target)).cell());
            table.get(HTTP_GET).put(size, measure("http-get", size, run -> List.of("url="
                    + server.url(dir.relativize(storeDir.resolve(id)).toString()), "size=" + size), xmx, null).cell());
        } finally {
            Files.deleteIfExists(storeDir.resolve(id));
        }
    }

    private void s3(long size, S3Fixture s3, Store store, Map<String, Map<Long, Cell>> table) throws Exception {
        long xmx = Math.max(options.memXmx(), options.memXmxS3());
        List<String> server = List.of("endpoint=" + s3.endpoint(), "bucket=" + S3Fixture.BUCKET);
        Map<String, Probe> firsts = new LinkedHashMap<>();
        for (String operation : List.of(S3_ADD_KNOWN, S3_ADD_UNKNOWN)) {
            Measured adds = measure(operation, size, run -> {
                List<String> params = new ArrayList<>(server);
                params.addAll(List.of("id=" + operation + "-" + size + "-" + run, "size=" + size, "seed=" + size));
                return params;
            }, xmx, (probe, run) -> {
                if (probe.failure() == null && run > 0) {
                    store.delete(store.location(URI.create(probe.note())));
                }
            });
            firsts.put(operation, adds.first());
            table.get(s3Label(operation)).put(size, adds.cell());
        }
        Probe known = firsts.get(S3_ADD_KNOWN);
        try {
            if (known.failure() != null) {
                table.get(s3Label(S3_GET)).put(size, Cell.failed("not run: the s3 add failed"));
            } else {
                List<String> params = new ArrayList<>(server);
                params.addAll(List.of("uri=" + known.note(), "size=" + size));
                table.get(s3Label(S3_GET)).put(size, measure(S3_GET, size, run -> params, xmx, null).cell());
            }
        } finally {
            for (Probe first : firsts.values()) {
                if (first.failure() == null) {
                    store.delete(store.location(URI.create(first.note())));
                }
            }
        }
    }

    /** The row label of an S3 operation, with its heap limit when it is not the others'. */
    private String s3Label(String operation) {
        String label = switch (operation) {
            case S3_ADD_KNOWN -> "s3 add (known size)";
            case S3_ADD_UNKNOWN -> "s3 add (unknown size)";
            case S3_GET -> "s3 get";
            default -> throw new IllegalArgumentException(operation);
        };
        long xmx = Math.max(options.memXmx(), options.memXmxS3());
        return xmx == options.memXmx() ? label : label + ", -Xmx" + (xmx >> 20) + "m";
    }

    /** What one child JVM reported; {@code live} is -1 for a run that measured the peaks. */
    record Probe(long heap, long rss, long live, String note, String failure) {
    }

    /** Clean-up after one child JVM; {@code run} counts the peak runs first, then the live runs. */
    @FunctionalInterface
    private interface AfterProbe {
        void done(Probe probe, int run) throws Exception;
    }

    /** A cell and the first probe (whose note, e.g. a multihash or a location, later probes use). */
    private record Measured(Cell cell, Probe first) {
    }

    /**
     * {@code memRuns} child JVMs that measure the peaks, then {@code memRuns} that measure the live heap
     * ({@code mode=live}); {@code params} gives each run's parameters by run number.
     */
    private Measured measure(String operation, long size, java.util.function.IntFunction<List<String>> params,
                             long xmx, AfterProbe after) throws Exception {
        List<Probe> peaks = new ArrayList<>();
        List<Probe> lives = new ArrayList<>();
        for (int run = 0; run < 2 * options.memRuns(); run++) {
            boolean live = run >= options.memRuns();
            List<String> runParams = new ArrayList<>(params.apply(run));
            if (live) {
                runParams.add("mode=live");
            }
            Probe probe = probe(operation, size, runParams, xmx);
            (live ? lives : peaks).add(probe);
            if (after != null) {
                after.done(probe, run);
            }
        }
        for (Probe probe : peaks) {
            if (probe.failure() != null) {
                return new Measured(Cell.failed(probe.failure()), peaks.get(0));
            }
        }
        for (Probe probe : lives) {
            if (probe.failure() != null) {
                return new Measured(Cell.failed("live-heap run: " + probe.failure()), peaks.get(0));
            }
        }
        return new Measured(new Cell(Stats.of(peaks.stream().map(Probe::heap).toList()),
                Stats.of(lives.stream().map(Probe::live).toList()),
                Stats.of(peaks.stream().map(Probe::rss).toList()), null), peaks.get(0));
    }

    private Probe probe(String operation, long size, List<String> params, long xmx) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + xmx, "-cp", classpath, Main.class.getName(), "probe", operation));
        command.addAll(params);
        Path log = Files.createTempFile(dir, "probe-", ".log");
        try {
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("BENCH_S3_ACCESS_KEY", S3Fixture.ACCESS_KEY);
            builder.environment().put("BENCH_S3_SECRET_KEY", S3Fixture.SECRET_KEY);
            Process process = builder.start();
            int status = process.waitFor();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            progress.printf("  memory   %-14s %-8s %-5s %6.1f s  %s%n", operation, Options.format(size),
                    params.contains("mode=live") ? "live" : "peaks", (System.nanoTime() - start) / 1e9,
                    status == 0 ? "ok" : "FAILED (exit " + status + ")");
            for (String line : output.lines().toList()) {
                if (line.startsWith("PROBE ") && status == 0) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (String part : line.substring("PROBE ".length()).split(" ")) {
                        int eq = part.indexOf('=');
                        fields.put(part.substring(0, eq), part.substring(eq + 1));
                    }
                    if (!Boolean.parseBoolean(fields.get("rssReset"))) {
                        progress.println("  memory   note: the peak RSS could not be reset; it includes start-up");
                    }
                    return new Probe(Long.parseLong(fields.get("heap")), Long.parseLong(fields.get("rss")),
                            Long.parseLong(fields.get("live")), fields.get("note"), null);
                }
                if (line.startsWith("PROBE-FAILED ")) {
                    return new Probe(-1, -1, -1, null, line.substring("PROBE-FAILED ".length()));
                }
            }
            throw new IOException("memory probe " + command + " exited with " + status + " and printed no result:\n"
                    + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
