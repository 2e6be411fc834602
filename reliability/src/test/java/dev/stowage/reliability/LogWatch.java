package dev.stowage.reliability;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Waits for a log record of one logger in this JVM (to know that a server thread has finished something). */
final class LogWatch extends Handler implements AutoCloseable {
    private final Logger logger;
    private final BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();

    LogWatch(String loggerName) {
        logger = Logger.getLogger(loggerName);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** The next record that matches, waiting at most {@code timeout}. */
    LogRecord await(Predicate<LogRecord> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            LogRecord record = left <= 0 ? null : records.poll(left, TimeUnit.NANOSECONDS);
            if (record == null) {
                throw new AssertionError("no matching record from " + logger.getName() + " within " + timeout);
            }
            if (wanted.test(record)) {
                return record;
            }
        }
    }

    /** A record whose first parameter is {@code value} and whose message contains {@code text}. */
    static Predicate<LogRecord> about(Object value, String text) {
        return record -> record.getMessage() != null && record.getMessage().contains(text)
                && record.getParameters() != null && record.getParameters().length > 0
                && value.equals(record.getParameters()[0]);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
