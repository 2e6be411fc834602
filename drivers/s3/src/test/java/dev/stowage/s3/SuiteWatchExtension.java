package dev.stowage.s3;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the {@link SuiteWatch} before the first test class of the module (registered for every class through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and extension auto-detection in
 * {@code junit-platform.properties}), counts the tests, and checks the error of every failed test for secrets. Not in
 * the heavy run ({@code -Pheavy}), which measures the store alone.
 */
public final class SuiteWatchExtension implements BeforeAllCallback, AfterTestExecutionCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        if (heavy()) {
            return;
        }
        SuiteWatch.get().testClass(context.getRequiredTestClass().getName());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (heavy()) {
            return;
        }
        SuiteWatch watch = SuiteWatch.get();
        watch.testRan();
        context.getExecutionException().ifPresent(watch::error);
    }

    /** The heavy run measures the store alone: no logging opened to ALL, no wrapper. */
    private static boolean heavy() {
        return Boolean.getBoolean("stowage.heavy");
    }
}
