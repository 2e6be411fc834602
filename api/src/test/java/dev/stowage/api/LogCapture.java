package dev.stowage.api;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything logged under {@code dev.stowage} while open. {@link System.Logger} goes to
 * {@code java.util.logging} by default, so a JUL handler sees every line, formatted with its parameters and stack
 * trace exactly as a console handler would print it.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.stowage");
    private final Level previous;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<LogRecord> records = new ArrayList<>();

    LogCapture() {
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    /** Every captured line, formatted (message, parameters, thrown stack trace). */
    synchronized List<String> lines() {
        List<String> lines = new ArrayList<>();
        records.forEach(record -> lines.add(record.getLevel() + " " + formatter.format(record)));
        return lines;
    }

    /** The lines at {@code level} or above. */
    synchronized List<String> lines(Level level) {
        List<String> lines = new ArrayList<>();
        records.stream().filter(record -> record.getLevel().intValue() >= level.intValue())
                .forEach(record -> lines.add(formatter.format(record)));
        return lines;
    }

    /** Everything captured, as one text. */
    String text() {
        return String.join("\n", lines());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
