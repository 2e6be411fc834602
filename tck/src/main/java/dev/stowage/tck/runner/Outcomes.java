package dev.stowage.tck.runner;

import dev.stowage.tck.Rule;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the outcome of every kit test run through the JUnit Platform launcher: passed, failed, skipped with its
 * reason, or a known deviation that failed as declared. Also records failures of whole classes (e.g. a class that
 * cannot be instantiated), so nothing fails unseen.
 */
public final class Outcomes implements TestExecutionListener {
    /** What happened to one test. */
    public enum Status { PASSED, FAILED, SKIPPED, DEVIATION }

    /** One test's outcome. {@code failure} is set for failed tests. */
    public record Outcome(String className, String test, Rule rule, Status status, String detail, Throwable failure) {
    }

    /** Counts of one rule's tests and the rule's overall outcome. */
    public record RuleSummary(Rule rule, int passed, int failed, int skipped, int deviations) {
        /** FAILED if any test failed; PASSED if any passed (or failed as a declared deviation); else SKIPPED. */
        public Status status() {
            if (failed > 0) {
                return Status.FAILED;
            }
            if (passed > 0 || deviations > 0) {
                return deviations > 0 && passed == 0 ? Status.DEVIATION : Status.PASSED;
            }
            return Status.SKIPPED;
        }

        int total() {
            return passed + failed + skipped + deviations;
        }
    }

    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> deviations = new ConcurrentHashMap<>();

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        String reason = entry.getKeyValuePairs().get("stowage.tck.deviation");
        if (reason != null) {
            deviations.put(identifier.getUniqueId(), reason);
        }
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        if (identifier.isTest()) {
            outcomes.add(outcome(identifier, Status.SKIPPED, "disabled: " + reason, null));
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Throwable thrown = result.getThrowable().orElse(null);
        String message = thrown == null ? "" : String.valueOf(thrown.getMessage() == null ? thrown
                : thrown.getMessage());
        if (identifier.isTest()) {
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    String deviation = deviations.get(identifier.getUniqueId());
                    outcomes.add(deviation == null ? outcome(identifier, Status.PASSED, "", null)
                            : outcome(identifier, Status.DEVIATION, deviation, null));
                }
                case ABORTED -> outcomes.add(outcome(identifier, Status.SKIPPED, message, null));
                case FAILED -> outcomes.add(outcome(identifier, Status.FAILED, message, thrown));
            }
        } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            outcomes.add(new Outcome(className(identifier.getSource().orElse(null)), identifier.getDisplayName(),
                    Rule.KIT, Status.FAILED, "the container failed: " + message, thrown));
        }
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        outcomes.clear();
        deviations.clear();
    }

    private static Outcome outcome(TestIdentifier identifier, Status status, String detail, Throwable failure) {
        TestSource source = identifier.getSource().orElse(null);
        String test = source instanceof MethodSource method ? method.getMethodName() : identifier.getDisplayName();
        return new Outcome(className(source), test, Rule.ofTest(test).orElse(Rule.KIT), status, detail, failure);
    }

    private static String className(TestSource source) {
        if (source instanceof MethodSource method) {
            return method.getClassName();
        }
        if (source instanceof ClassSource type) {
            return type.getClassName();
        }
        return "";
    }

    /** Every outcome, in the order the tests finished. */
    public List<Outcome> all() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }

    /** The outcome of the named test method, if it ran. */
    public java.util.Optional<Outcome> of(String test) {
        return all().stream().filter(outcome -> outcome.test().equals(test)).findFirst();
    }

    /** Outcomes with the given status. */
    public List<Outcome> with(Status status) {
        return all().stream().filter(outcome -> outcome.status() == status).toList();
    }

    /** Per-rule counts, in rule order, for the given rules (rules without tests are listed with zero counts). */
    public List<RuleSummary> byRule(List<Rule> rules) {
        Map<Rule, int[]> counts = new EnumMap<>(Rule.class);
        for (Rule rule : rules) {
            counts.put(rule, new int[4]);
        }
        for (Outcome outcome : all()) {
            counts.computeIfAbsent(outcome.rule(), rule -> new int[4])[outcome.status().ordinal()]++;
        }
        List<RuleSummary> summaries = new ArrayList<>();
        counts.forEach((rule, c) -> summaries.add(new RuleSummary(rule, c[0], c[1], c[2], c[3])));
        return summaries;
    }
}
