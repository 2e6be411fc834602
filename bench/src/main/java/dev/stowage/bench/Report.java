package dev.stowage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The harness's output: one Markdown document with the machine, the options and the three tables. */
final class Report {
    /** The memory goal: the largest object may need at most this much more than the smallest. */
    static final double FLAT = 1.10;

    private final Options options;
    private final String disk;
    private final String started = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z",
            Locale.ROOT));
    private final String loadBefore = loadAverage();
    private String loadAfter = "";
    private List<Micro.Score> micro = List.of();
    private final List<Throughput.Row> throughput = new ArrayList<>();
    private List<Memory.Row> memory = List.of();
    private final List<String> notes = new ArrayList<>();

    Report(Options options, Path dir) {
        this.options = options;
        this.disk = disk(dir);
    }

    void micro(List<Micro.Score> scores) {
        this.micro = List.copyOf(scores);
    }

    void throughput(List<Throughput.Row> rows) {
        throughput.addAll(rows);
    }

    void memory(List<Memory.Row> rows) {
        this.memory = List.copyOf(rows);
    }

    void note(String note) {
        notes.add(note);
    }

    void finish() {
        loadAfter = loadAverage();
    }

    String render() {
        StringBuilder text = new StringBuilder();
        text.append("# Stowage benchmarks, ").append(started).append("\n\n");
        text.append("- machine: ").append(machine()).append('\n');
        text.append("- disk: ").append(disk).append('\n');
        text.append("- page cache: warm (the source file is read once before the runs; caches are not dropped)\n");
        text.append("- load average (1, 5, 15 min): before ").append(loadBefore).append(", after ")
                .append(loadAfter).append('\n');
        text.append("- options: ").append(options).append('\n');
        notes.forEach(note -> text.append("- ").append(note).append('\n'));
        if (options.runs("micro")) {
            renderMicro(text);
        }
        if (!throughput.isEmpty()) {
            renderThroughput(text);
        }
        if (options.runs("memory")) {
            renderMemory(text);
        }
        return text.toString();
    }

    private void renderMicro(StringBuilder text) {
        text.append("\n## Micro-benchmarks (JMH)\n\n");
        text.append(options.microQuick() ? "Smoke run: one 50 ms iteration in the harness JVM; the numbers mean"
                + " nothing.\n\n" : "1 fork (-Xmx512m), 3 warm-up and " + options.microIterations()
                + " measured iterations of " + options.microTimeMillis() + " ms; median [min-max] of the measured"
                + " iterations.\n\n");
        text.append("| benchmark | parameter | score | baseline | ratio to baseline |\n");
        text.append("|---|---|---|---|---|\n");
        for (Micro.Score score : micro) {
            Optional<Micro.Score> baseline = baselineOf(score);
            String ratio = baseline.map(base -> ratio(score, base)).orElse("");
            text.append("| ").append(score.benchmark()).append(" | ").append(score.param()).append(" | ")
                    .append(score(score)).append(" | ")
                    .append(baseline.map(base -> base.benchmark() + ": " + score(base)).orElse("—")).append(" | ")
                    .append(ratio).append(" |\n");
        }
        text.append("\nRatio: the subject's speed over the baseline's (1.00x = as fast; 0.50x = takes twice as"
                + " long). OrderingBenchmark orders ").append(Micro.orderingCount()).append(" locations per"
                + " operation.\n");
    }

    /** The baseline of a micro-benchmark: MessageDigest for the hashing stream, URI.create for parsing. */
    private Optional<Micro.Score> baselineOf(Micro.Score score) {
        String baselineName;
        if (score.benchmark().equals("HashingBenchmark.hashingStream")) {
            baselineName = "HashingBenchmark.messageDigest";
        } else if (score.benchmark().startsWith("LocationParseBenchmark.")
                && !score.benchmark().endsWith("uriCreate")) {
            baselineName = "LocationParseBenchmark.uriCreate";
        } else {
            return Optional.empty();
        }
        return micro.stream().filter(other -> other.benchmark().equals(baselineName)
                && other.param().equals(score.param())).findFirst();
    }

    private static String ratio(Micro.Score subject, Micro.Score baseline) {
        boolean timePerOp = subject.unit().contains("/op");
        double ratio = timePerOp ? baseline.stats().median() / subject.stats().median()
                : subject.stats().median() / baseline.stats().median();
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String score(Micro.Score score) {
        Stats s = score.stats();
        return String.format(Locale.ROOT, "%s [%s-%s] %s", number(s.median()), number(s.min()), number(s.max()),
                score.unit());
    }

    private static String number(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private void renderThroughput(StringBuilder text) {
        text.append("\n## Throughput (").append(Options.format(options.size())).append(" object; median [min-max] of ")
                .append(options.runs()).append(" runs after ").append(options.warmup()).append(" warm-up run")
                .append(options.warmup() == 1 ? "" : "s").append(")\n\n");
        text.append("| comparison | subject | baseline | ratio | target | |\n");
        text.append("|---|---|---|---|---|---|\n");
        for (Throughput.Row row : throughput) {
            Throughput.Comparison comparison = row.comparison();
            Boolean met = row.met();
            text.append("| ").append(comparison.diagnostic() ? "*" + comparison.label() + "*" : comparison.label())
                    .append(" | ").append(seconds(row.subject(), row.bytes())).append(" | ")
                    .append(seconds(row.baseline(), row.bytes())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2fx", row.ratio())).append(" | ")
                    .append(comparison.target() == null ? (comparison.diagnostic() ? "(diagnostic)" : "—")
                            : String.format(Locale.ROOT, ">= %.2fx", comparison.target()))
                    .append(" | ").append(met == null ? "" : met ? "met" : "**missed**").append(" |\n");
        }
        text.append("\nTimes in seconds, speed in MiB/s at the median. Ratio: baseline time / subject time (above 1:"
                + " the subject is faster). Rows in italics are diagnostics that explain others.\n");
    }

    private static String seconds(Stats stats, long bytes) {
        return String.format(Locale.ROOT, "%.3f s [%.3f-%.3f] %.0f MiB/s", stats.median(), stats.min(), stats.max(),
                bytes / stats.median() / (1 << 20));
    }

    private void renderMemory(StringBuilder text) {
        List<Long> sizes = options.memSizes();
        text.append("\n## Memory (child JVM per cell, -Xmx").append(options.memXmx() >> 20).append("m")
                .append(", ").append(options.memRuns()).append(" run").append(options.memRuns() == 1 ? "" : "s")
                .append(" per cell)\n\n");
        List<String> metrics = List.of("peak heap", "live heap", "peak RSS");
        List<java.util.function.Function<Memory.Cell, Stats>> getters = List.of(Memory.Cell::heap,
                Memory.Cell::live, Memory.Cell::rss);
        StringBuilder header = new StringBuilder("| operation |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String metric : metrics) {
            for (long size : sizes) {
                header.append(' ').append(metric).append(' ').append(Options.format(size)).append(" |");
                rule.append("---|");
            }
            header.append(' ').append(metric).append(" growth |");
            rule.append("---|");
        }
        header.append(" target |");
        rule.append("---|");
        text.append(header).append('\n').append(rule).append('\n');
        for (Memory.Row row : memory) {
            text.append("| ").append(row.operation()).append(" |");
            double[] growths = {row.heapGrowth(), row.liveGrowth(), row.rssGrowth()};
            for (int m = 0; m < metrics.size(); m++) {
                for (long size : sizes) {
                    text.append(' ').append(memoryCell(row.cells().get(size), getters.get(m))).append(" |");
                }
                text.append(' ').append(growth(growths[m])).append(" |");
            }
            text.append(' ');
            if (row.operation().startsWith("idle")) {
                text.append("(reference)");
            } else if (row.cells().values().stream().anyMatch(cell -> cell.failure() != null)) {
                text.append("**missed**");
            } else if (Double.isNaN(row.liveGrowth())) {
                text.append("—");
            } else {
                boolean flat = row.liveGrowth() <= FLAT && row.rssGrowth() <= FLAT;
                text.append(String.format(Locale.ROOT, "<= %.2fx ", FLAT)).append(flat ? "met" : "**missed**");
            }
            text.append(" |\n");
        }
        text.append("\nPeak heap: the sum of the heap pools' peak use during the operation (MemoryPoolMXBean, reset"
                + " after set-up), garbage not yet collected included. Live heap: in a second child JVM, the most heap"
                + " in use right after a full collection (System.gc()) forced every 250 ms during the operation, at"
                + " the end of the data and after the operation. Peak RSS: the kernel's peak resident set (VmHWM,"
                + " reset after set-up through /proc/self/clear_refs), the JVM itself included. Growth: largest"
                + " object over smallest. The goal is flat: live heap and peak RSS growth at most ")
                .append(String.format(Locale.ROOT, "%.2fx", FLAT)).append(" (the peak heap moves in whole G1 regions,"
                        + " 1 MiB with this heap, and with the garbage made before a collection; it is shown, not"
                        + " judged).\n");
    }

    private static String memoryCell(Memory.Cell cell, java.util.function.Function<Memory.Cell, Stats> what) {
        if (cell == null) {
            return "—";
        }
        if (cell.failure() != null) {
            return "FAILED: " + cell.failure().replace('|', '/');
        }
        Stats stats = what.apply(cell);
        return stats.count() == 1 ? mib(stats.median())
                : mib(stats.median()) + " [" + mib(stats.min()) + "-" + mib(stats.max()) + "]";
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1 << 20));
    }

    private static String growth(double growth) {
        return Double.isNaN(growth) ? "—" : String.format(Locale.ROOT, "%.2fx", growth);
    }

    // ------------------------------------------------------------------------------------------------ machine

    private static String machine() {
        String cpu = firstMatching(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        String ram = firstMatching(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> String.format(Locale.ROOT, "%.1f GiB RAM", Long.parseLong(kb.replaceAll("[^0-9]", ""))
                        / 1024.0 / 1024.0))
                .orElse("RAM unknown");
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + ram + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String disk(Path dir) {
        try {
            java.nio.file.FileStore store = Files.getFileStore(dir);
            String device = store.name();
            String rotational = "";
            if (device.startsWith("/dev/")) {
                Path flag = Path.of("/sys/block", device.substring("/dev/".length()).replaceAll("[0-9]+$", ""),
                        "queue", "rotational");
                if (Files.isReadable(flag)) {
                    rotational = Files.readString(flag).strip().equals("1") ? ", rotational" : ", non-rotational";
                }
            }
            return store.type() + " on " + device + rotational + " (work directory " + dir + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Optional<String> firstMatching(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Optional.of(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    /** Targets and whether they were met, for a quick look at the end of a run. */
    Map<String, Boolean> targets() {
        Map<String, Boolean> targets = new java.util.LinkedHashMap<>();
        for (Throughput.Row row : throughput) {
            if (row.met() != null) {
                targets.put(row.comparison().label(), row.met());
            }
        }
        return targets;
    }
}
