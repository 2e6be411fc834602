package dev.stowage.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what one class logs through System.Logger (which the JDK backs with java.util.logging). */
final class LogCapture implements AutoCloseable {
    /** One captured record. */
    record Entry(Level level, String message) {
    }

    private final Logger logger;
    private final Level previousLevel;
    private final List<Entry> entries = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (entries) {
                entries.add(new Entry(record.getLevel(), record.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(Class<?> type) {
        logger = Logger.getLogger(type.getName());
        previousLevel = logger.getLevel();
        logger.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    static LogCapture of(Class<?> type) {
        return new LogCapture(type);
    }

    List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    List<String> messages(Level level) {
        return entries().stream().filter(entry -> entry.level().equals(level)).map(Entry::message).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
