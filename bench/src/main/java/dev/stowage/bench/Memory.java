package dev.stowage.bench;

import java.io.IOException;
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
 * small {@code -Xmx} ({@link MemoryProbe}). Bounded memory shows as a flat row: the largest object needs no more than
 * the smallest. An operation that does not stream fails the child with an {@link OutOfMemoryError}, shown in the
 * table.
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

    /** Runs every probe; the object of each size is written once by the file add and read by the others. */
    List<Row> run() throws Exception {
        Path storeDir = Files.createDirectories(dir.resolve("mem-store"));
        Path out = Files.createDirectories(dir.resolve("mem-out"));
        Map<String, Map<Long, Cell>> table = new LinkedHashMap<>();
        for (String operation : List.of("idle JVM (no operation)", "file add", "file get", "direct copy",
                "http get")) {
            table.put(operation, new LinkedHashMap<>());
        }
        try (StaticFileServer server = StaticFileServer.serve(dir)) {
            for (long size : options.memSizes()) {
                String id = "mem-" + size;
                table.get("idle JVM (no operation)").put(size, cell("idle", size, List.of()));
                Probe first = null;
                List<Probe> adds = new ArrayList<>();
                for (int run = 0; run < options.memRuns(); run++) {
                    String runId = run == 0 ? id : id + "-" + run;
                    Probe probe = probe("file-add", size, List.of("datadir=" + storeDir, "id=" + runId,
                            "size=" + size, "seed=" + size));
                    adds.add(probe);
                    if (run == 0) {
                        first = probe;
                    } else {
                        Files.deleteIfExists(storeDir.resolve(runId));
                    }
                }
                table.get("file add").put(size, cell(adds));
                if (first.failure() != null) {
                    String skipped = "not run: the file add failed";
                    table.get("file get").put(size, Cell.failed(skipped));
                    table.get("direct copy").put(size, Cell.failed(skipped));
                    table.get("http get").put(size, Cell.failed(skipped));
                    continue;
                }
                try {
                    table.get("file get").put(size, cell("file-get", size, List.of("datadir=" + storeDir,
                            "id=" + id, "size=" + size)));
                    List<Probe> copies = new ArrayList<>();
                    for (int run = 0; run < options.memRuns(); run++) {
                        Path target = out.resolve("direct-" + size);
                        try {
                            copies.add(probe("direct-copy", size, List.of("mount=" + storeDir, "id=" + id,
                                    "size=" + size, "multihash=" + first.note(), "target=" + target)));
                        } finally {
                            Files.deleteIfExists(target);
                        }
                    }
                    table.get("direct copy").put(size, cell(copies));
                    table.get("http get").put(size, cell("http-get", size, List.of("url="
                            + server.url(dir.relativize(storeDir.resolve(id)).toString()), "size=" + size)));
                } finally {
                    Files.deleteIfExists(storeDir.resolve(id));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        table.forEach((operation, cells) -> rows.add(new Row(operation, cells)));
        return rows;
    }

    /** What one child JVM reported. */
    record Probe(long heap, long live, int gcs, long rss, String note, String failure) {
    }

    private Cell cell(String operation, long size, List<String> params) throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (int run = 0; run < options.memRuns(); run++) {
            probes.add(probe(operation, size, params));
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

    private Probe probe(String operation, long size, List<String> params) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + options.memXmx(), "-cp", classpath, Main.class.getName(), "probe", operation));
        command.addAll(params);
        Path log = Files.createTempFile(dir, "probe-", ".log");
        try {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
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
