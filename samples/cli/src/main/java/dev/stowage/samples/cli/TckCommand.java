package dev.stowage.samples.cli;

import dev.stowage.tck.runner.TckRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code stowage tck}: runs the conformance kit on a driver, as the kit's standalone runner does. */
@Command(name = "tck", description = {
        "Run the conformance kit (rules S1-S14) on a driver found on the class path, print a table per rule,",
        "and write JUnit XML and a Markdown report. Exit 0 when it conforms, 6 when a test failed."})
final class TckCommand implements Callable<Integer> {
    @Option(names = "--driver", required = true, paramLabel = "TYPE", description = "The driver's type, e.g. file")
    String driver;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties: the driver's options by name, plus kit keys (tck.*)")
    Path config;

    @Option(names = "--report", paramLabel = "DIR", description = "Report directory (default stowage-tck-report)")
    Path report;

    @Option(names = "--class-path", paramLabel = "PATHS",
            description = "Extra jars or directories holding a third-party driver")
    String classPath;

    @Option(names = "--seed", paramLabel = "LONG", description = "Replay a run with the seed it printed")
    Long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(List.of("--driver", driver));
        if (config != null) {
            args.addAll(List.of("--config", config.toString()));
        }
        if (report != null) {
            args.addAll(List.of("--report", report.toString()));
        }
        if (classPath != null) {
            args.addAll(List.of("--class-path", classPath));
        }
        if (seed != null) {
            args.addAll(List.of("--seed", seed.toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = TckRunner.run(args.toArray(String[]::new), outStream, errStream);
        }
        spec.commandLine().getOut().print(out.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().print(err.toString(StandardCharsets.UTF_8));
        spec.commandLine().getErr().flush();
        return switch (status) {
            case TckRunner.OK -> 0;
            case TckRunner.FAILED -> StowageCli.TCK_FAILED;
            default -> StowageCli.USAGE;
        };
    }
}
