package dev.stowage.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters of one suite (one category of the report): cases tried, faults injected, orphans found (temp files,
 * stored objects without a record, files outside a store's root), and suite-specific counts. Written to
 * {@code target/reliability/<suite>.json}; {@link ReliabilityRun} prints the totals at the end of the run.
 */
final class Tally {
    static final String CASES = "cases";
    static final String FAULTS = "faults";
    static final String ORPHANS = "orphans";

    private static final Map<String, Tally> ALL = new TreeMap<>();

    private final String suite;
    private final Map<String, AtomicLong> counters = new LinkedHashMap<>();
    private final Map<String, String> notes = new TreeMap<>();

    private Tally(String suite) {
        this.suite = suite;
        counters.put(CASES, new AtomicLong());
        counters.put(FAULTS, new AtomicLong());
        counters.put(ORPHANS, new AtomicLong());
    }

    /** The counters of {@code suite}, made on first use. */
    static Tally of(String suite) {
        synchronized (ALL) {
            return ALL.computeIfAbsent(suite, Tally::new);
        }
    }

    static Map<String, Tally> all() {
        synchronized (ALL) {
            return new TreeMap<>(ALL);
        }
    }

    String suite() {
        return suite;
    }

    long add(String counter, long n) {
        AtomicLong value;
        synchronized (counters) {
            value = counters.computeIfAbsent(counter, name -> new AtomicLong());
        }
        return value.addAndGet(n);
    }

    long inc(String counter) {
        return add(counter, 1);
    }

    long get(String counter) {
        synchronized (counters) {
            AtomicLong value = counters.get(counter);
            return value == null ? 0 : value.get();
        }
    }

    /** A fact about the run worth keeping (a seed, which fault stood in for another, why a part was skipped). */
    void note(String key, String value) {
        synchronized (notes) {
            notes.put(key, value);
        }
    }

    Map<String, Long> counters() {
        Map<String, Long> copy = new LinkedHashMap<>();
        synchronized (counters) {
            counters.forEach((name, value) -> copy.put(name, value.get()));
        }
        return copy;
    }

    Map<String, String> notes() {
        synchronized (notes) {
            return new TreeMap<>(notes);
        }
    }

    String json() {
        StringBuilder json = new StringBuilder("{\n  \"suite\": ").append(quote(suite)).append(",\n  \"counters\": {");
        String separator = "\n";
        for (Map.Entry<String, Long> counter : counters().entrySet()) {
            json.append(separator).append("    ").append(quote(counter.getKey())).append(": ").append(counter.getValue());
            separator = ",\n";
        }
        json.append("\n  },\n  \"notes\": {");
        separator = "\n";
        for (Map.Entry<String, String> note : notes().entrySet()) {
            json.append(separator).append("    ").append(quote(note.getKey())).append(": ").append(quote(note.getValue()));
            separator = ",\n";
        }
        return json.append("\n  }\n}\n").toString();
    }

    void write() {
        try {
            Files.createDirectories(Knobs.out());
            Files.writeString(Knobs.out().resolve(suite + ".json"), json(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line: {@code suite: cases=.. faults=.. orphans=.. other=..}. */
    String line() {
        StringBuilder line = new StringBuilder(suite).append(':');
        counters().forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
        return line.toString();
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
