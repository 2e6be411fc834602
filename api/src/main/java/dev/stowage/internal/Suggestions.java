package dev.stowage.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name nearest to a misspelled one, for "did you mean" hints. Not part of the public API. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The candidate closest to {@code given} by edit distance, if it is close enough to be a plausible typo. */
    public static Optional<String> nearest(String given, Collection<String> candidates) {
        String needle = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int allowed = Math.max(2, Math.min(given.length(), best.length()) / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** A hint such as {@code " (did you mean 'datadir'?)"}, or empty text. */
    public static String hint(String given, Collection<String> candidates) {
        return nearest(given, candidates).map(name -> " (did you mean '" + name + "'?)").orElse("");
    }

    /** Damerau-Levenshtein distance (optimal string alignment): swaps of neighbours count once. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
