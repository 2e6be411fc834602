package dev.stowage.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs an outside command (cp, cat, curl, sync) and fails loudly when it fails. */
final class Exec {
    private Exec() {
    }

    /** Runs {@code command} with standard output sent to {@code stdout} (null: discarded, i.e. {@code > /dev/null}). */
    static void run(List<String> command, Path stdout) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(
                stdout.toFile()));
        Path errors = Files.createTempFile("stowage-bench-exec", ".err");
        try {
            builder.redirectError(errors.toFile());
            Process process = builder.start();
            int status = process.waitFor();
            if (status != 0) {
                throw new IOException("command " + command + " exited with " + status + ": "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** Runs {@code command} and returns what it printed on standard output (for small outputs). */
    static String output(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("stowage-bench-exec", ".out");
        try {
            run(command, out);
            return Files.readString(out, StandardCharsets.UTF_8).strip();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Whether {@code program} is on the PATH. */
    static boolean available(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** The first line a command prints, or {@code fallback} when it cannot be run. */
    static String firstLine(String fallback, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            String first = text.lines().findFirst().orElse("").strip();
            return first.isEmpty() ? fallback : first;
        } catch (IOException e) {
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        }
    }
}
