package dev.stowage.reliability;

import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The run's size: {@code reliability.examples} generated cases per bad-input category (10,000 by default) and
 * {@code reliability.scale}, a multiplier for fault rounds, kills and object sizes (1 by default, 10 with
 * {@code -Preliability-heavy}). Seeds come from {@code QT_SEED} when set (to replay a run), else at random; every seed
 * used is written to the suite's counters file and printed.
 */
final class Knobs {
    private static final SecureRandom SEEDS = new SecureRandom();

    private Knobs() {
    }

    static int examples() {
        return Integer.getInteger("reliability.examples", 10_000);
    }

    static int scale() {
        return Math.max(1, Integer.getInteger("reliability.scale", 1));
    }

    static boolean heavy() {
        return scale() > 1;
    }

    /** {@code base} times the scale. */
    static int scaled(int base) {
        return base * scale();
    }

    /** Where the counters files go ({@code target/reliability}). */
    static Path out() {
        return Path.of(System.getProperty("reliability.out", "target/reliability"));
    }

    /** A seed for {@code what} in {@code tally}'s suite: {@code QT_SEED} when given, else random; recorded. */
    static long seed(Tally tally, String what) {
        String given = System.getProperty("QT_SEED");
        long seed = given != null ? Long.parseLong(given.trim()) : SEEDS.nextLong();
        tally.note("seed." + what, Long.toString(seed));
        System.out.println("[reliability] " + tally.suite() + " " + what + ": seed " + seed
                + " (replay with -DQT_SEED=" + seed + ")");
        return seed;
    }
}
