package dev.stowage.tck.runner;

import dev.stowage.api.Capability;
import dev.stowage.spi.StoreDriver;
import dev.stowage.tck.ContractSettings;
import dev.stowage.tck.TckSeed;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The runner's per-rule table (console) and conformance report (Markdown). */
final class Report {
    private final String version;
    private final StoreDriver driver;
    private final ConfiguredStoreContract.Setup setup;
    private final Set<Capability> capabilities;
    private final Map<String, String> metadata;
    private final long seed;
    private final Instant started;
    private final Instant finished;
    private final Outcomes outcomes;

    Report(String version, StoreDriver driver, ConfiguredStoreContract.Setup setup, Set<Capability> capabilities,
           Map<String, String> metadata, long seed, Instant started, Instant finished, Outcomes outcomes) {
        this.version = version;
        this.driver = driver;
        this.setup = setup;
        this.capabilities = capabilities;
        this.metadata = metadata;
        this.seed = seed;
        this.started = started;
        this.finished = finished;
        this.outcomes = outcomes;
    }

    private List<Outcomes.Outcome> sortedOutcomes() {
        return outcomes.all().stream()
                .sorted(Comparator.comparing((Outcomes.Outcome o) -> o.rule().ordinal()).thenComparing(o -> o.test()))
                .toList();
    }

    private String declared() {
        return setup.capabilities().map(Set::toString).orElse("(not declared; set tck.capabilities to check)");
    }

    String console() {
        StringBuilder out = new StringBuilder();
        out.append("Stowage conformance kit ").append(version).append(": driver ").append(driver.type())
                .append(" (").append(driver.getClass().getName()).append("), store ").append(setup.storeName())
                .append(", seed ").append(seed).append('\n');
        out.append("Capabilities: ").append(capabilities).append("; expected: ").append(declared()).append('\n');
        out.append('\n').append(String.format("%-5s %-10s %6s %6s %7s %9s  %s%n", "Rule", "Outcome", "passed",
                "failed", "skipped", "deviation", "Rule text"));
        for (Outcomes.RuleSummary summary : outcomes.byRule(TckRunner.storeRules())) {
            out.append(String.format("%-5s %-10s %6d %6d %7d %9d  %s%n", summary.rule().id(), summary.status(),
                    summary.passed(), summary.failed(), summary.skipped(), summary.deviations(),
                    summary.rule().title()));
        }
        out.append('\n').append(String.format("%-5s %-58s %-10s %s%n", "Rule", "Test", "Outcome", "Detail"));
        for (Outcomes.Outcome outcome : sortedOutcomes()) {
            out.append(String.format("%-5s %-58s %-10s %s%n", outcome.rule().id(), outcome.test(), outcome.status(),
                    oneLine(outcome.detail(), 160)));
        }
        int failed = outcomes.with(Outcomes.Status.FAILED).size();
        out.append('\n').append(outcomes.all().size()).append(" tests: ")
                .append(outcomes.with(Outcomes.Status.PASSED).size()).append(" passed, ").append(failed)
                .append(" failed, ").append(outcomes.with(Outcomes.Status.SKIPPED).size()).append(" skipped, ")
                .append(outcomes.with(Outcomes.Status.DEVIATION).size()).append(" known deviations, in ")
                .append(seconds()).append('\n');
        return out.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Stowage conformance report: driver `").append(driver.type()).append("`\n\n");
        int failed = outcomes.with(Outcomes.Status.FAILED).size();
        md.append("**Result: ").append(failed == 0 ? "CONFORMS" : "DOES NOT CONFORM (" + failed + " failed)")
                .append("**\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Kit", "stowage-tck " + version);
        row(md, "Driver", "`" + driver.type() + "` (`" + driver.getClass().getName() + "`)");
        row(md, "Store name", "`" + setup.storeName() + "`");
        row(md, "Declared capabilities", capabilities.toString());
        row(md, "Expected capabilities", declared());
        row(md, "Location metadata", metadata.toString());
        ContractSettings settings = setup.settings();
        row(md, "Settings", "large object " + settings.largeObjectSize() + " bytes, chunk " + settings.chunkSize()
                + " bytes, " + settings.threads() + " threads");
        row(md, "Secrets checked", setup.secrets().isEmpty() ? "none configured" : setup.secrets().size()
                + " (values not shown)");
        row(md, "Seed", seed + " (replay with `--seed " + seed + "` or `-D" + TckSeed.PROPERTY + "=" + seed + "`)");
        row(md, "Started", started.toString());
        row(md, "Duration", seconds());
        md.append('\n');

        md.append("## Rules\n\n| Rule | Outcome | Passed | Failed | Skipped | Deviations | Rule text |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Outcomes.RuleSummary summary : outcomes.byRule(TckRunner.storeRules())) {
            md.append("| ").append(summary.rule().id()).append(" | ").append(badge(summary.status())).append(" | ")
                    .append(summary.passed()).append(" | ").append(summary.failed()).append(" | ")
                    .append(summary.skipped()).append(" | ").append(summary.deviations()).append(" | ")
                    .append(cell(summary.rule().title())).append(" |\n");
        }

        md.append("\n## Tests\n\n| Rule | Test | Outcome | Detail |\n|---|---|---|---|\n");
        for (Outcomes.Outcome outcome : sortedOutcomes()) {
            md.append("| ").append(outcome.rule().id()).append(" | `").append(outcome.test()).append("` | ")
                    .append(badge(outcome.status())).append(" | ").append(cell(oneLine(outcome.detail(), 400)))
                    .append(" |\n");
        }

        List<Outcomes.Outcome> failures = outcomes.with(Outcomes.Status.FAILED);
        if (!failures.isEmpty()) {
            md.append("\n## Failures\n");
            for (Outcomes.Outcome outcome : failures) {
                md.append("\n### `").append(outcome.test()).append("` (").append(outcome.rule().id()).append(")\n\n```\n")
                        .append(outcome.detail().replace("```", "'''")).append("\n```\n");
            }
        }
        md.append("\nEvery skipped test says why: a capability the store does not declare (or, for the unsupported"
                + "-operation checks, does declare), or an optional declaration that was not given. A known deviation"
                + " is a declared, strict expected failure. See tck/README.md for what the kit does not cover.\n");
        return md.toString();
    }

    private String seconds() {
        Duration duration = Duration.between(started, finished);
        return String.format("%d.%03d s", duration.toSeconds(), duration.toMillisPart());
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(cell(value)).append(" |\n");
    }

    private static String badge(Outcomes.Status status) {
        return switch (status) {
            case PASSED -> "passed";
            case FAILED -> "**FAILED**";
            case SKIPPED -> "skipped";
            case DEVIATION -> "known deviation";
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", "<br>");
    }

    static String oneLine(String text, int max) {
        String line = text == null ? "" : text.replace('\r', ' ').replace('\n', ' ');
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
