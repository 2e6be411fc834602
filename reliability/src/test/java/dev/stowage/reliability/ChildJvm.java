package dev.stowage.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A second JVM on the test class path, running a main class: its output is read line by line (every line goes to
 * {@link Evidence}), and it can be killed with SIGKILL ({@link Process#destroyForcibly()}).
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private final Thread[] readers = new Thread[2];

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        readers[0] = reader(process.getInputStream(), "stdout", true);
        readers[1] = reader(process.getErrorStream(), "stderr", false);
    }

    static ChildJvm start(String name, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(name, new ProcessBuilder(command).start());
    }

    private Thread reader(InputStream in, String stream, boolean queue) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    Evidence.output("child " + name + " " + stream, line);
                    synchronized (transcript) {
                        transcript.add(stream + ": " + line);
                    }
                    if (queue) {
                        stdout.add(line);
                    }
                }
            } catch (IOException e) {
                // the process died: its pipes close
            }
        }, "child-" + name + "-" + stream);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The next stdout line that matches, waiting at most {@code timeout}. */
    String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : stdout.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child " + name + " printed no matching line within " + timeout
                        + " (alive: " + process.isAlive() + "); output:\n" + transcript());
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, then waits for the process to be gone; returns its exit code (137 on Linux). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + name + " survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /** SIGTERM (shutdown hooks run), then waits; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child " + name + " did not stop within 30 s of SIGTERM; output:\n"
                    + transcript());
        }
        for (Thread reader : readers) {
            reader.join(5_000);
        }
        return process.exitValue();
    }

    /** Waits for a normal exit; returns the exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + name + " did not exit within " + timeout + "; output:\n"
                    + transcript());
        }
        for (Thread reader : readers) {
            reader.join(5_000);
        }
        return process.exitValue();
    }

    String transcript() {
        synchronized (transcript) {
            return String.join("\n", transcript);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
