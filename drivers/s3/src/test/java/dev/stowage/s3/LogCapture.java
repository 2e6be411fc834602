package dev.stowage.s3;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sees every log record of the JVM while it is open: a handler on the java.util.logging root logger, which is where
 * {@code System.Logger} (the store), slf4j through slf4j-jdk14 (the AWS SDK and Apache HttpClient) and S3Proxy end up.
 * It opens the given logger levels (restored on close) and checks each record as it is published, message and stack
 * trace, for the secrets it watches, so even megabytes of wire logging are checked without being kept.
 */
final class LogCapture implements AutoCloseable {
    private final List<String> secrets;
    private final Map<String, Level> savedLevels = new HashMap<>();
    /** Strong references: java.util.logging forgets the level of a logger nobody holds. */
    private final List<Logger> held = new ArrayList<>();
    private final Handler handler;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong characters = new AtomicLong();
    private final Map<String, AtomicLong> recordsByLogger = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> leaks = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param levels logger name ({@code ""} for the root) to the level to open while capturing
     */
    LogCapture(List<String> secrets, Map<String, Level> levels) {
        this.secrets = List.copyOf(secrets);
        Formatter formatter = new SimpleFormatter();
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String text = record.getLoggerName() + " " + record.getLevel() + " " + formatter.formatMessage(record)
                        + (record.getThrown() == null ? "" : "\n" + stackTrace(record.getThrown()));
                records.incrementAndGet();
                characters.addAndGet(text.length());
                recordsByLogger.computeIfAbsent(topName(record.getLoggerName()), name -> new AtomicLong())
                        .incrementAndGet();
                check("log record", text);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        levels.forEach((name, level) -> {
            Logger logger = Logger.getLogger(name);
            held.add(logger);
            savedLevels.put(name, logger.getLevel());
            logger.setLevel(level);
        });
        Logger.getLogger("").addHandler(handler);
    }

    private static String topName(String logger) {
        if (logger == null) {
            return "?";
        }
        String[] parts = logger.split("\\.");
        return parts.length <= 3 ? logger : String.join(".", parts[0], parts[1], parts[2]);
    }

    /** Checks any text (an error message, a stack trace, a toString) for the secrets. */
    void check(String what, String text) {
        for (String secret : secrets) {
            int at = text == null ? -1 : text.indexOf(secret);
            if (at >= 0) {
                int from = Math.max(0, at - 300);
                int to = Math.min(text.length(), at + secret.length() + 300);
                leaks.add(what + " holds a secret: " + (from > 0 ? "..." : "") + text.substring(from, to)
                        + (to < text.length() ? "..." : ""));
            }
        }
    }

    /** Checks an error: its toString, message and whole stack trace (causes and suppressed included). */
    void check(Throwable error) {
        check("error " + error.getClass().getName(), error + "\n" + stackTrace(error));
    }

    static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** Findings so far: each names where a secret was seen. */
    List<String> leaks() {
        synchronized (leaks) {
            return List.copyOf(leaks);
        }
    }

    long records() {
        return records.get();
    }

    long characters() {
        return characters.get();
    }

    /** Records per logger (first three name parts), to show what was captured. */
    Map<String, Long> recordsByLogger() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        recordsByLogger.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
        savedLevels.forEach((name, level) -> Logger.getLogger(name).setLevel(level));
    }
}
