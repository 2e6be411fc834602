package dev.stowage.reliability;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/**
 * Starts the evidence capture before the first test and, after the last one, writes every suite's counters and
 * {@code target/reliability/totals.json}, and prints the totals. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class ReliabilityRun implements TestExecutionListener {
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        Evidence.install();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        Map<String, Long> totals = new TreeMap<>();
        StringBuilder report = new StringBuilder("[reliability] counters per suite:\n");
        for (Tally tally : Tally.all().values()) {
            tally.write();
            report.append("[reliability]   ").append(tally.line()).append('\n');
            for (String name : new String[] {Tally.CASES, Tally.FAULTS, Tally.ORPHANS}) {
                totals.merge(name, tally.get(name), Long::sum);
            }
        }
        totals.put("log-records-checked", Evidence.logRecords());
        totals.put("exceptions-checked", Evidence.exceptions());
        totals.put("child-output-lines-checked", Evidence.childLines());
        totals.put("secrets-configured", Evidence.secrets());
        totals.put("secret-leaks", (long) Evidence.leaks().size());
        StringBuilder json = new StringBuilder("{");
        String separator = "\n";
        for (Map.Entry<String, Long> total : totals.entrySet()) {
            json.append(separator).append("  ").append(Tally.quote(total.getKey())).append(": ")
                    .append(total.getValue());
            separator = ",\n";
        }
        json.append("\n}\n");
        try {
            Files.createDirectories(Knobs.out());
            Files.writeString(Knobs.out().resolve("totals.json"), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        report.append("[reliability] TOTAL cases=").append(totals.get(Tally.CASES))
                .append(" faults=").append(totals.get(Tally.FAULTS))
                .append(" orphans=").append(totals.get(Tally.ORPHANS))
                .append(" | log records checked=").append(totals.get("log-records-checked"))
                .append(" exceptions checked=").append(totals.get("exceptions-checked"))
                .append(" child lines checked=").append(totals.get("child-output-lines-checked"))
                .append(" secrets=").append(totals.get("secrets-configured"))
                .append(" leaks=").append(totals.get("secret-leaks"));
        report.append("\n[reliability] log records by logger: ").append(Evidence.logRecordsByLogger());
        for (String leak : Evidence.leaks()) {
            report.append("\n[reliability] SECRET LEAK in ").append(leak.length() > 600 ? leak.substring(0, 600) + "..."
                    : leak);
        }
        System.out.println(report);
    }
}
