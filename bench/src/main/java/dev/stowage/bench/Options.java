package dev.stowage.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The harness's command-line options.
 *
 * @param size        object size of the throughput rows
 * @param runs        measured runs per variant (the table shows their median, min and max)
 * @param warmup      untimed runs of every variant before the measured ones
 * @param memSizes    object sizes of the memory rows (each measured in its own child JVM); the growth is largest over
 *                    smallest
 * @param memXmx      the child JVMs' {@code -Xmx}
 * @param memXmxS3    the {@code -Xmx} of the S3 probes (their part buffers alone are 40 MiB by default)
 * @param memRuns     child JVMs per memory cell (median shown)
 * @param dir         work directory (null: a new one under the temp directory); deleted at the end unless keep
 * @param groups      which parts run: micro, file, direct, http, s3, memory
 * @param microQuick  JMH with one short iteration in this JVM: proves the benchmarks run, measures nothing
 * @param microIterations measured JMH iterations (each {@code microTimeMillis} long)
 * @param out         also write the report here (null: standard output only)
 */
record Options(long size, int runs, int warmup, List<Long> memSizes, long memXmx, long memXmxS3, int memRuns, Path dir,
               boolean keep,
               Set<String> groups, boolean microQuick, int microIterations, int microTimeMillis, Path out,
               boolean help) {
    static final List<String> GROUPS = List.of("micro", "file", "direct", "http", "s3", "memory");

    static final String USAGE = """
            usage: bench/run [options]          (or java -jar bench/target/stowage-bench.jar [options])
              --size SIZE          object size of the throughput rows (default 1g; k, m, g suffixes)
              --runs N             measured runs per variant, median/min/max shown (default 5)
              --warmup N           untimed runs of every variant first (default 1)
              --mem-sizes A,B,..   object sizes of the memory rows (default 64m,256m,2g)
              --mem-xmx SIZE       -Xmx of the memory probes' child JVMs (default 64m)
              --mem-xmx-s3 SIZE    -Xmx of the S3 probes, which buffer up to 4 x 10 MiB parts (default 128m)
              --mem-runs N         child JVMs per memory cell, median shown (default 1)
              --only LIST          parts to run, of micro,file,direct,http,s3,memory (default all)
              --micro-iterations N JMH measured iterations (default 5, plus 3 warm-up iterations)
              --micro-time MS      JMH iteration length in milliseconds (default 1000)
              --micro-quick        JMH smoke run: one 50 ms iteration in this JVM (proves the path, measures nothing)
              --dir PATH           work directory (default: a new directory under java.io.tmpdir)
              --keep               keep the work directory (default: deleted at the end)
              --out FILE           also write the report to FILE
            quick smoke run: bench/run --size 64m --runs 3 --mem-sizes 16m,64m
            JMH alone: java -jar bench/target/stowage-bench.jar jmh [JMH options, e.g. -l or Hashing]
            """;

    Options {
        requireNonNull(memSizes, "memSizes is null");
        requireNonNull(groups, "groups is null");
        memSizes = List.copyOf(memSizes);
        groups = Set.copyOf(groups);
    }

    static Options parse(String... args) {
        long size = 1L << 30;
        int runs = 5;
        int warmup = 1;
        List<Long> memSizes = List.of(64L << 20, 256L << 20, 2L << 30);
        long memXmx = 64L << 20;
        long memXmxS3 = 128L << 20;
        int memRuns = 1;
        Path dir = null;
        boolean keep = false;
        Set<String> groups = new LinkedHashSet<>(GROUPS);
        boolean microQuick = false;
        int microIterations = 5;
        int microTime = 1000;
        Path out = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--size" -> size = positive(arg, bytes(arg, value(args, ++i, arg)));
                case "--runs" -> runs = (int) positive(arg, integer(arg, value(args, ++i, arg)));
                case "--warmup" -> warmup = (int) atLeastZero(arg, integer(arg, value(args, ++i, arg)));
                case "--mem-sizes" -> {
                    List<Long> sizes = new ArrayList<>();
                    for (String part : value(args, ++i, arg).split(",")) {
                        sizes.add(positive(arg, bytes(arg, part.trim())));
                    }
                    memSizes = sizes;
                }
                case "--mem-xmx" -> memXmx = positive(arg, bytes(arg, value(args, ++i, arg)));
                case "--mem-xmx-s3" -> memXmxS3 = positive(arg, bytes(arg, value(args, ++i, arg)));
                case "--mem-runs" -> memRuns = (int) positive(arg, integer(arg, value(args, ++i, arg)));
                case "--only" -> {
                    groups = new LinkedHashSet<>();
                    for (String part : value(args, ++i, arg).split(",")) {
                        String group = part.trim().toLowerCase(Locale.ROOT);
                        if (!GROUPS.contains(group)) {
                            throw new IllegalArgumentException("option --only: unknown part '" + part
                                    + "' (known: " + String.join(", ", GROUPS) + ")");
                        }
                        groups.add(group);
                    }
                }
                case "--micro-iterations" -> microIterations = (int) positive(arg, integer(arg, value(args, ++i, arg)));
                case "--micro-time" -> microTime = (int) positive(arg, integer(arg, value(args, ++i, arg)));
                case "--micro-quick" -> microQuick = true;
                case "--dir" -> dir = Path.of(value(args, ++i, arg));
                case "--keep" -> keep = true;
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (size > Integer.MAX_VALUE * 64L) {
            throw new IllegalArgumentException("option --size: " + size + " bytes is more than this harness handles");
        }
        return new Options(size, runs, warmup, memSizes, memXmx, memXmxS3, memRuns, dir, keep, groups, microQuick,
                microIterations, microTime, out, help);
    }

    boolean runs(String group) {
        return groups.contains(group);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[index];
    }

    private static long integer(String option, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + option + ": '" + text + "' is not a whole number");
        }
    }

    private static long positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("option " + option + ": must be positive, not " + value);
        }
        return value;
    }

    private static long atLeastZero(String option, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("option " + option + ": must not be negative, not " + value);
        }
        return value;
    }

    /** {@code 1048576}, {@code 64k}, {@code 64m}, {@code 2g} (binary units; {@code kib}, {@code mib} also accepted). */
    static long bytes(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1L << 10;
        } else if (t.endsWith("m")) {
            unit = 1L << 20;
        } else if (t.endsWith("g")) {
            unit = 1L << 30;
        }
        String number = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(number), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("option " + option + ": '" + text
                    + "' is not a size (e.g. 1048576, 64k, 64m, 2g)");
        }
    }

    /** 1 GiB, 64 MiB, 1536 KiB, 100 B. */
    static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    @Override
    public String toString() {
        return "--size " + format(size).replace(" ", "").replace("iB", "").toLowerCase(Locale.ROOT)
                + " --runs " + runs + " --warmup " + warmup + " --mem-sizes "
                + String.join(",", memSizes.stream().map(s -> format(s).replace(" ", "").replace("iB", "")
                .toLowerCase(Locale.ROOT)).toList())
                + " --mem-xmx " + format(memXmx).replace(" ", "").replace("iB", "").toLowerCase(Locale.ROOT)
                + " --mem-xmx-s3 " + format(memXmxS3).replace(" ", "").replace("iB", "").toLowerCase(Locale.ROOT)
                + " --mem-runs " + memRuns + (groups.size() == GROUPS.size() ? ""
                : " --only " + String.join(",", GROUPS.stream().filter(groups::contains).toList()))
                + (microQuick ? " --micro-quick" : " --micro-iterations " + microIterations + " --micro-time "
                + microTimeMillis);
    }

    static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
