package dev.stowage.s3;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

/**
 * Watches the whole S3 test suite for secret keys ({@link TestSecrets#ALL}), from the first test class to the last:
 * every log record of the JVM (the store's {@code System.Logger}, the AWS SDK and Apache HttpClient through slf4j, all
 * opened to level ALL), everything written to standard output and error, every error that leaves a store the suite
 * opened through {@link S3ProxyServer#open} (see {@link WatchedStore}), and every error that fails a test. Started by
 * {@link SuiteWatchExtension} before the first test class; {@link SuiteSecretCheckTest}, ordered last, asserts that it
 * found nothing.
 *
 * <p>Left out: the embedded S3Proxy's own loggers ({@code org.gaul}: the server holds the secret by design) and
 * Apache HttpClient's wire log (every byte of every image as text, hundreds of megabytes for this suite; the
 * SecretLeakTest opens it for small requests). The access key id is not watched: S3 signs requests with a
 * {@code Credential=<access key id>/...} header, which HttpClient's header log prints at DEBUG; AWS does not treat the
 * key id as a secret. The store's own messages are checked for it by the contract ({@code secrets()}).
 */
final class SuiteWatch {
    private static SuiteWatch instance;

    private final LogCapture logs;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong printed = new AtomicLong();
    private final AtomicLong tests = new AtomicLong();
    private final Map<String, AtomicLong> errorsByType = new ConcurrentHashMap<>();
    private final Set<String> classes = ConcurrentHashMap.newKeySet();

    private SuiteWatch(List<String> secrets) {
        logs = new LogCapture(secrets, Map.of("", Level.ALL, "org.gaul", Level.OFF,
                "org.apache.hc.client5.http.wire", Level.INFO));
    }

    /** The watch of this JVM, started on first use. */
    static synchronized SuiteWatch get() {
        if (instance == null) {
            instance = new SuiteWatch(TestSecrets.ALL);
            System.setOut(instance.watched(System.out, "standard output"));
            System.setErr(instance.watched(System.err, "standard error"));
        }
        return instance;
    }

    /**
     * A separate watch for {@code secrets}, for testing the watch itself: it sees log records until
     * {@link #stopLogs()}, and output only through streams made with {@link #watched}.
     */
    static SuiteWatch forSelfTest(List<String> secrets) {
        return new SuiteWatch(secrets);
    }

    /** Stops watching log records (self-test watches only). */
    void stopLogs() {
        logs.close();
    }

    /** The watch, if a test started it. */
    static synchronized SuiteWatch started() {
        return instance;
    }

    void testClass(String name) {
        classes.add(name);
    }

    void testRan() {
        tests.incrementAndGet();
    }

    /** Checks an error: message, {@code toString()} and whole stack trace, causes and suppressed included. */
    void error(Throwable error) {
        errors.incrementAndGet();
        errorsByType.computeIfAbsent(error.getClass().getSimpleName(), type -> new AtomicLong()).incrementAndGet();
        logs.check(error);
    }

    /** Checks text the suite shows (a {@code toString()}, a location). */
    void shown(String what, String text) {
        logs.check(what, text);
    }

    List<String> leaks() {
        return logs.leaks();
    }

    long records() {
        return logs.records();
    }

    long errors() {
        return errors.get();
    }

    long tests() {
        return tests.get();
    }

    Set<String> classes() {
        return Set.copyOf(classes);
    }

    String summary() {
        Map<String, Long> byType = new TreeMap<>();
        errorsByType.forEach((type, count) -> byType.put(type, count.get()));
        return tests.get() + " tests in " + classes.size() + " classes; " + logs.records() + " log records ("
                + logs.characters() + " characters), " + printed.get() + " lines of standard output/error, "
                + errors.get() + " errors checked; records by logger: " + logs.recordsByLogger() + "; errors by type: "
                + byType;
    }

    /** A stream that writes to {@code original} and has every complete line checked. */
    PrintStream watched(PrintStream original, String name) {
        return new PrintStream(new LineCheck(original, name), true, StandardCharsets.UTF_8);
    }

    /** Passes bytes on and checks each complete line (secrets hold no line break). */
    private final class LineCheck extends OutputStream {
        private final OutputStream out;
        private final String name;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineCheck(OutputStream out, String name) {
            this.out = out;
            this.name = name;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            out.write(b);
            if (b == '\n') {
                endLine();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            out.write(bytes, offset, length);
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    endLine();
                } else {
                    line.write(bytes[i]);
                }
            }
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            out.flush();
        }

        private void endLine() {
            printed.incrementAndGet();
            logs.check(name, line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
