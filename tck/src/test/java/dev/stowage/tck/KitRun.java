package dev.stowage.tck;

import dev.stowage.tck.runner.Outcomes;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs one contract class through the JUnit Platform launcher, as a user's build or the runner does. */
final class KitRun {
    private KitRun() {
    }

    static Outcomes run(Class<?> contract) {
        Outcomes outcomes = new Outcomes();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(contract))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .build(), outcomes);
        return outcomes;
    }

    static String table(Outcomes outcomes) {
        StringBuilder out = new StringBuilder();
        for (Outcomes.Outcome outcome : outcomes.all()) {
            out.append(String.format("  %-9s %-60s %s%n", outcome.status(), outcome.test(),
                    firstLine(outcome.detail())));
        }
        return out.toString();
    }

    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }
}
