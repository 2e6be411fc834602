package dev.stowage.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, min and max of some samples (at least one). */
record Stats(double median, double min, double max, int count) {

    static Stats of(List<? extends Number> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>();
        samples.forEach(sample -> sorted.add(sample.doubleValue()));
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }
}
