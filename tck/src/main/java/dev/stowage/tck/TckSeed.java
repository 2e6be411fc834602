package dev.stowage.tck;

import java.security.SecureRandom;

/**
 * The seed of this run. Every pseudo-random choice of the kit (object contents, QuickTheories examples) derives from
 * it, so a failure is replayed by running again with {@code -Dstowage.tck.seed=<seed>}. The seed is printed once per
 * JVM and appears in every property-test failure.
 */
public final class TckSeed {
    /** System property that fixes the seed. */
    public static final String PROPERTY = "stowage.tck.seed";

    private static final System.Logger LOG = System.getLogger(TckSeed.class.getName());
    private static final long SEED = initial();

    private TckSeed() {
    }

    private static long initial() {
        String given = System.getProperty(PROPERTY);
        long seed;
        String origin;
        if (given != null && !given.isBlank()) {
            try {
                seed = Long.parseLong(given.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("System property " + PROPERTY + " must be a long, not '" + given
                        + "'", e);
            }
            origin = "from -D" + PROPERTY;
        } else {
            seed = new SecureRandom().nextLong();
            origin = "random; replay with -D" + PROPERTY + "=" + seed;
        }
        String line = "Stowage TCK seed " + seed + " (" + origin + ")";
        System.out.println(line);
        LOG.log(System.Logger.Level.DEBUG, line);
        return seed;
    }

    /** The seed of this run. */
    public static long seed() {
        return SEED;
    }

    /** A seed for one named use (a test, an object), derived from the run's seed. */
    static long derive(String name) {
        long h = SEED;
        for (int i = 0; i < name.length(); i++) {
            h = TestData.mix(h + name.charAt(i));
        }
        return h;
    }
}
