package dev.stowage.tck;

import dev.stowage.tck.runner.Outcomes;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/** Runs the two large-object tests of one contract class; started by {@link LowMemoryTest} in a small heap. */
public final class LowMemoryRun {
    private LowMemoryRun() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> contract = Class.forName(args[0]);
        Outcomes outcomes = new Outcomes();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(contract, "s1_largeObjectStreamsWithDeclaredSize"),
                        selectMethod(contract, "s1_largeObjectStreamsWithUnknownSize"))
                .build(), outcomes);
        for (Outcomes.Outcome outcome : outcomes.all()) {
            System.out.println(outcome.status() + " " + outcome.test() + " " + outcome.detail());
        }
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() + " bytes");
        boolean passed = outcomes.all().size() == 2 && outcomes.with(Outcomes.Status.PASSED).size() == 2;
        System.exit(passed ? 0 : 1);
    }
}
