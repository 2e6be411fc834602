package dev.stowage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times variants of one job on the same data, run after run, and compares each subject with its baselines. In every
 * run each variant runs once, starting with a different variant each run (so no variant always goes first, right
 * after the writes of another); every variant must move exactly the expected number of bytes, or the harness fails.
 */
final class Throughput {
    /** One way of doing the job: returns the bytes it moved (checked against the expected size). */
    @FunctionalInterface
    interface Action {
        long run(int iteration) throws Exception;
    }

    /** Untimed clean-up after each run of a variant (deleting its output). */
    @FunctionalInterface
    interface Cleanup {
        void run(int iteration) throws Exception;
    }

    record Variant(String name, Action action, Cleanup cleanup) {
        static Variant of(String name, Action action) {
            return new Variant(name, action, iteration -> { });
        }
    }

    /**
     * Subject against baseline; the ratio is baseline time / subject time (above 1: the subject is faster).
     *
     * @param target     the goal for the ratio (a goal, never asserted), or null when the issue sets none
     * @param diagnostic a row that explains another (not one of the rows)
     */
    record Comparison(String label, String subject, String baseline, Double target, boolean diagnostic) {
        static Comparison of(String label, String subject, String baseline, Double target) {
            return new Comparison(label, subject, baseline, target, false);
        }

        static Comparison diagnostic(String label, String subject, String baseline) {
            return new Comparison(label, subject, baseline, null, true);
        }
    }

    /** A measured comparison: times in seconds. */
    record Row(Comparison comparison, long bytes, Stats subject, Stats baseline) {
        double ratio() {
            return baseline.median() / subject.median();
        }

        /** Null when the row has no target. */
        Boolean met() {
            return comparison.target() == null ? null : ratio() >= comparison.target();
        }
    }

    private Throughput() {
    }

    static List<Row> measure(String group, long bytes, List<Variant> variants, List<Comparison> comparisons,
                             Options options, PrintStream progress) throws Exception {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (Variant variant : variants) {
            seconds.put(variant.name(), new ArrayList<>());
        }
        int total = options.warmup() + options.runs();
        for (int run = 0; run < total; run++) {
            boolean warm = run < options.warmup();
            for (int k = 0; k < variants.size(); k++) {
                Variant variant = variants.get((run + k) % variants.size());
                long start = System.nanoTime();
                long moved = variant.action().run(run);
                long nanos = System.nanoTime() - start;
                variant.cleanup().run(run);
                if (moved != bytes) {
                    throw new IllegalStateException(group + ": " + variant.name() + " moved " + moved
                            + " bytes, expected " + bytes);
                }
                if (!warm) {
                    seconds.get(variant.name()).add(nanos / 1e9);
                }
                progress.printf("  %-8s %-12s %-40s %8.3f s%n", group, (warm ? "warm-up " + (run + 1) + "/"
                        + options.warmup() : "run " + (run - options.warmup() + 1) + "/" + options.runs()),
                        variant.name(), nanos / 1e9);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Comparison comparison : comparisons) {
            List<Double> subject = seconds.get(comparison.subject());
            List<Double> baseline = seconds.get(comparison.baseline());
            if (subject == null || baseline == null) {
                throw new IllegalArgumentException(group + ": comparison " + comparison.label()
                        + " names a variant that was not measured");
            }
            rows.add(new Row(comparison, bytes, Stats.of(subject), Stats.of(baseline)));
        }
        return rows;
    }

    /** Reads a stream to its end with a 128 KiB buffer (what {@code cat} uses) and returns the byte count. */
    static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[128 << 10];
        long total = 0;
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            total += n;
        }
        return total;
    }
}
