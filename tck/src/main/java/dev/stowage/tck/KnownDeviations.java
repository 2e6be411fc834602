package dev.stowage.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Turns a declared known deviation into a strict expected failure: the test passes only when its body fails, and
 * fails with "deviation no longer present" when the body passes, so a declaration cannot outlive the limitation it
 * describes. A skipped (aborted) test stays skipped. Registered on {@link StoreContract} and
 * {@link LocationStrategyContract}.
 */
final class KnownDeviations implements InvocationInterceptor {
    /** Key of the report entry published when a deviation fails as expected (read by the runner). */
    static final String REPORT_KEY = "stowage.tck.deviation";

    private static Optional<String> reasonOf(Object contract, String test) {
        if (contract instanceof StoreContract store) {
            return store.deviationReason(test);
        }
        if (contract instanceof LocationStrategyContract strategy) {
            return strategy.deviationReason(test);
        }
        return Optional.empty();
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        String test = invocationContext.getExecutable().getName();
        Optional<String> reason = invocationContext.getTarget().flatMap(target -> reasonOf(target, test));
        if (reason.isEmpty()) {
            invocation.proceed();
            return;
        }
        Throwable failure;
        try {
            invocation.proceed();
            failure = null;
        } catch (TestAbortedException | OutOfMemoryError passOn) {
            throw passOn;
        } catch (Throwable t) {
            failure = t;
        }
        if (failure == null) {
            Rule rule = Rule.ofTest(test).orElse(Rule.KIT);
            throw new AssertionFailedError(Checks.message(Rule.KIT, "known deviation no longer present: " + test
                    + " (" + rule.id() + ") passed although it is declared to deviate (\"" + reason.get() + "\")",
                    "that the limitation is fixed and remove the declaration of " + test + " from the settings"));
        }
        extensionContext.publishReportEntry(REPORT_KEY, reason.get() + " | failed as expected: "
                + Checks.firstLine(failure));
    }
}
