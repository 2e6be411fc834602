package dev.stowage.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything the suites could leak a secret through, checked as it happens: every log record of the JVM (a handler on
 * the root {@code java.util.logging} logger at level ALL, where {@link System.Logger} and the servers' SLF4J output end
 * up; only Jetty's own loggers stay at INFO), every exception a suite catches or a test throws (message, causes, suppressed, stack trace), and every line a
 * child JVM prints.
 *
 * <p>Every secret the suites configure comes from {@link #secret(String)}: it holds the {@link #MARKER}, so any text
 * that shows even a part of one around the marker is caught, and the whole value is checked too. The secrets suite
 * runs last and fails when {@link #leaks()} is not empty.
 */
final class Evidence {
    /** In every configured secret; never in any captured text. */
    static final String MARKER = "stowsecret";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final List<String> LEAKS = new ArrayList<>();
    private static final AtomicLong LOG_RECORDS = new AtomicLong();
    private static final Map<String, AtomicLong> BY_LOGGER = new ConcurrentHashMap<>();
    private static final AtomicLong EXCEPTIONS = new AtomicLong();
    private static final AtomicLong CHILD_LINES = new AtomicLong();
    private static final SimpleFormatter FORMAT = new SimpleFormatter();
    private static final Handler HANDLER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG_RECORDS.incrementAndGet();
            String name = String.valueOf(record.getLoggerName());
            int cut = name.indexOf('.', name.indexOf('.') + 1);
            BY_LOGGER.computeIfAbsent(cut < 0 ? name : name.substring(0, cut), key -> new AtomicLong())
                    .incrementAndGet();
            String text;
            try {
                text = record.getLevel() + " " + record.getLoggerName() + " " + FORMAT.format(record);
            } catch (RuntimeException e) {
                text = record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage();
            }
            check("log record", text);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIETER = List.of(Logger.getLogger("org.eclipse.jetty"),
            Logger.getLogger("jdk.internal.httpclient"), Logger.getLogger("org.apache.hc.client5.http.wire"),
            Logger.getLogger("org.gaul"));
    private static boolean installed;

    private Evidence() {
    }

    /** Puts the handler on the root logger and opens the root logger to every level. Idempotent. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Logger root = Logger.getLogger("");
        root.setLevel(Level.ALL);
        // trace streams of the test's own plumbing stay at INFO (their INFO and above are still captured, like every
        // level of every other logger): Jetty's DEBUG (the servers' internals, raw buffers included), the JDK HTTP
        // client's internal debug trace and Apache HttpClient's wire log (every byte of every image): at ALL they
        // cost more time than the suites themselves; and the embedded S3 server (org.gaul), which holds the secret
        // key by design
        for (Logger quieter : QUIETER) {
            quieter.setLevel(Level.INFO);
        }
        HANDLER.setLevel(Level.ALL);
        root.addHandler(HANDLER);
        // the console shows only errors: the build log is not flooded (the handler above sees everything)
        for (Handler handler : root.getHandlers()) {
            if (handler != HANDLER && handler.getLevel().intValue() < Level.SEVERE.intValue()) {
                handler.setLevel(Level.SEVERE);
            }
        }
    }

    /** A fresh secret value for a configuration, e.g. {@code proxy-stowsecret-1f3a...}. */
    static String secret(String label) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        String secret = label + "-" + MARKER + "-" + HexFormat.of().formatHex(random);
        SECRETS.add(secret);
        return secret;
    }

    /** Records a caught or thrown exception: its whole printed form is checked. */
    static void exception(Throwable thrown) {
        EXCEPTIONS.incrementAndGet();
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        check("exception", text + "\n" + thrown);
    }

    /** Records a line printed by a child JVM. */
    static void output(String source, String line) {
        CHILD_LINES.incrementAndGet();
        check(source, line);
    }

    /** Records any other text the suites show (a toString(), a response body). */
    static void text(String source, String text) {
        check(source, text);
    }

    /** Whether {@code text} would count as a leak (for the detector's own test); records nothing. */
    static boolean wouldFlag(String text) {
        return leakAt(text) >= 0;
    }

    private static int leakAt(String text) {
        int at = text.indexOf(MARKER);
        if (at < 0) {
            for (String secret : SECRETS) {
                at = text.indexOf(secret);
                if (at >= 0) {
                    break;
                }
            }
        }
        return at;
    }

    private static void check(String source, String text) {
        if (text == null) {
            return;
        }
        int at = leakAt(text);
        if (at >= 0) {
            int lineStart = text.lastIndexOf('\n', at) + 1;
            String head = text.substring(0, Math.min(text.length(), Math.min(300, text.indexOf('\n') < 0
                    ? text.length() : text.indexOf('\n'))));
            String around = text.substring(Math.max(lineStart, at - 300), Math.min(text.length(), at + 200));
            synchronized (LEAKS) {
                if (LEAKS.size() < 50) {
                    LEAKS.add(source + ": " + head + "\n    ... " + around);
                }
            }
        }
    }

    static List<String> leaks() {
        synchronized (LEAKS) {
            return List.copyOf(LEAKS);
        }
    }

    static long logRecords() {
        return LOG_RECORDS.get();
    }

    /** Log records checked, by the first two parts of the logger name. */
    static Map<String, Long> logRecordsByLogger() {
        Map<String, Long> counts = new TreeMap<>();
        BY_LOGGER.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    static long exceptions() {
        return EXCEPTIONS.get();
    }

    static long childLines() {
        return CHILD_LINES.get();
    }

    static long secrets() {
        return SECRETS.size();
    }
}
