package dev.stowage.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The macro harness: runs the parts {@link Options} selects, in one JVM, on the same data, and prints one report
 * ({@link Report}) to {@code out}. Progress goes to standard error. The targets of the issue are goals shown in the
 * table; missing one does not fail the run, an error does.
 */
final class Harness {
    /** Kept so the level set on it stays in force (loggers are weakly held). */
    private static final Logger QUIET = Logger.getLogger("");

    private Harness() {
    }

    static int run(Options options, PrintStream out) throws Exception {
        // one INFO line per copy or request would bury the progress lines
        QUIET.setLevel(Level.WARNING);
        for (String tool : List.of("cp", "cat", "curl", "sync", "md5sum", "sha512sum")) {
            if (!Exec.available(tool)) {
                throw new IllegalStateException("the harness needs '" + tool + "' on the PATH as a baseline");
            }
        }
        Path dir = options.dir() != null ? Files.createDirectories(options.dir())
                : Files.createTempDirectory("stowage-bench-");
        PrintStream progress = System.err;
        Report report = new Report(options, dir);
        try {
            if (options.runs("micro")) {
                progress.println("micro-benchmarks (JMH)" + (options.microQuick() ? ", smoke run" : ""));
                report.micro(Micro.run(options));
            }
            if (options.runs("file") || options.runs("direct") || options.runs("http") || options.runs("s3")) {
                try (Scenarios scenarios = Scenarios.prepare(options, dir, progress)) {
                    if (options.runs("file")) {
                        report.throughput(scenarios.file());
                    }
                    if (options.runs("direct")) {
                        report.throughput(scenarios.direct());
                    }
                    if (options.runs("http")) {
                        report.throughput(scenarios.http());
                    }
                    if (options.runs("s3")) {
                        report.throughput(scenarios.s3());
                    }
                }
            }
            if (options.runs("memory")) {
                report.memory(new Memory(options, dir, progress).run());
            }
        } finally {
            if (!options.keep()) {
                delete(dir);
            }
        }
        report.finish();
        String text = report.render();
        out.print(text);
        out.flush();
        if (options.out() != null) {
            Files.writeString(options.out(), text);
        }
        return 0;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
