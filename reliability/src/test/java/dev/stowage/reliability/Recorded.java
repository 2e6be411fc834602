package dev.stowage.reliability;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * On every suite: makes sure the evidence capture runs (also when a suite is started alone from an IDE), hands every
 * exception a test throws to {@link Evidence}, and writes the counters after the suite.
 */
final class Recorded implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler {
    @Override
    public void beforeAll(ExtensionContext context) {
        Evidence.install();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Evidence.exception(throwable);
        throw throwable;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Tally.all().values().forEach(Tally::write);
    }
}
