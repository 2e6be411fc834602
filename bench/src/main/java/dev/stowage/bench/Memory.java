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
    record Cell(Stats heap, Stats live, Stats rss, int gcs, String failure) {
        static Cell failed(String failure) {
            return new Cell(null, null, null, 0, failure);
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
                table.get(IDLE).put(size, cell("idle", size, List.of(), options.memXmx()));
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
        List<Probe> adds = new ArrayList<>();
        for (int run = 0; run < options.memRuns(); run++) {
            String runId = run == 0 ? id : id + "-" + run;
            adds.add(probe("file-add", size, List.of("datadir=" + storeDir, "id=" + runId, "size=" + size,
                    "seed=" + size), xmx));
            if (run > 0) {
                Files.deleteIfExists(storeDir.resolve(runId));
            }
        }
        table.get(FILE_ADD).put(size, cell(adds));
        Probe first = adds.get(0);
        if (first.failure() != null) {
            for (String operation : List.of(FILE_GET, DIRECT_COPY, HTTP_GET)) {
                table.get(operation).put(size, Cell.failed("not run: the file add failed"));
            }
            return;
        }
        try {
            table.get(FILE_GET).put(size, cell("file-get", size, List.of("datadir=" + storeDir, "id=" + id,
                    "size=" + size), xmx));
            List<Probe> copies = new ArrayList<>();
            for (int run = 0; run < options.memRuns(); run++) {
                Path target = out.resolve("direct-" + size);
                try {
                    copies.add(probe("direct-copy", size, List.of("mount=" + storeDir, "id=" + id, "size=" + size,
                            "multihash=" + first.note(), "target=" + target), xmx));
                } finally {
                    Files.deleteIfExists(target);
                }
            }
            table.get(DIRECT_COPY).put(size, cell(copies));
            table.get(HTTP_GET).put(size, cell("http-get", size, List.of("url="
                    + server.url(dir.relativize(storeDir.resolve(id)).toString()), "size=" + size), xmx));
        } finally {
            Files.deleteIfExists(storeDir.resolve(id));
        }
    }

    private void s3(long size, S3Fixture s3, Store store, Map<String, Map<Long, Cell>> table) throws Exception {
        long xmx = Math.max(options.memXmx(), options.memXmxS3());
        List<String> server = List.of("endpoint=" + s3.endpoint(), "bucket=" + S3Fixture.BUCKET);
        Map<String, Probe> firsts = new LinkedHashMap<>();
        for (String operation : List.of(S3_ADD_KNOWN, S3_ADD_UNKNOWN)) {
            List<Probe> adds = new ArrayList<>();
            for (int run = 0; run < options.memRuns(); run++) {
                List<String> params = new ArrayList<>(server);
                params.addAll(List.of("id=" + operation + "-" + size + "-" + run, "size=" + size, "seed=" + size));
                Probe probe = probe(operation, size, params, xmx);
                adds.add(probe);
                if (probe.failure() == null && run > 0) {
                    store.delete(store.location(URI.create(probe.note())));
                }
            }
            firsts.put(operation, adds.get(0));
            table.get(s3Label(operation)).put(size, cell(adds));
        }
        Probe known = firsts.get(S3_ADD_KNOWN);
        try {
            if (known.failure() != null) {
                table.get(s3Label(S3_GET)).put(size, Cell.failed("not run: the s3 add failed"));
            } else {
                List<String> params = new ArrayList<>(server);
                params.addAll(List.of("uri=" + known.note(), "size=" + size));
                table.get(s3Label(S3_GET)).put(size, cell(S3_GET, size, params, xmx));
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

    /** What one child JVM reported. */
    record Probe(long heap, long live, int gcs, long rss, String note, String failure) {
    }

    private Cell cell(String operation, long size, List<String> params, long xmx) throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (int run = 0; run < options.memRuns(); run++) {
            probes.add(probe(operation, size, params, xmx));
        }
        return cell(probes);
    }

    private static Cell cell(List<Probe> probes) {
        for (Probe probe : probes) {
            if (probe.failure() != null) {
                return Cell.failed(probe.failure());
            }
        }
        return new Cell(Stats.of(probes.stream().map(Probe::heap).toList()),
                Stats.of(probes.stream().map(Probe::live).toList()),
                Stats.of(probes.stream().map(Probe::rss).toList()),
                probes.stream().mapToInt(Probe::gcs).max().orElse(0), null);
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
            progress.printf("  memory   %-12s %-8s %6.1f s  %s%n", operation, Options.format(size),
                    (System.nanoTime() - start) / 1e9, status == 0 ? "ok" : "FAILED (exit " + status + ")");
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
                    return new Probe(Long.parseLong(fields.get("heap")), Long.parseLong(fields.get("live")),
                            Integer.parseInt(fields.get("gcs")), Long.parseLong(fields.get("rss")), fields.get("note"),
                            null);
                }
                if (line.startsWith("PROBE-FAILED ")) {
                    return new Probe(-1, -1, 0, -1, null, line.substring("PROBE-FAILED ".length()));
                }
            }
            throw new IOException("memory probe " + command + " exited with " + status + " and printed no result:\n"
                    + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
