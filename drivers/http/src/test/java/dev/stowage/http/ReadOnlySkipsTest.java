package dev.stowage.http;

import dev.stowage.tck.runner.Outcomes;
import dev.stowage.tck.runner.Outcomes.Outcome;
import dev.stowage.tck.runner.Outcomes.Status;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs {@link HttpStoreContractTest} through the JUnit Platform launcher (as a user's build does) and checks how the
 * kit treated the read-only store: nothing failed, every rule that needs writing or deleting was skipped with the
 * reason "read-only store", and none of them passed.
 */
class ReadOnlySkipsTest {
    @Test
    void rulesThatWriteAreSkippedAsReadOnlyNeverPassed() {
        Outcomes outcomes = new Outcomes();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(HttpStoreContractTest.class)).build(), outcomes);

        assertThat(outcomes.with(Status.FAILED)).isEmpty();
        List<Outcome> readOnly = outcomes.with(Status.SKIPPED).stream()
                .filter(outcome -> outcome.detail().startsWith("skipped: read-only store "))
                .toList();
        assertThat(readOnly).extracting(Outcome::test)
                .contains("s1_roundTripOneByte", "s4_failingStreamLeavesNothing", "s5_duplicateAddFailsAndKeepsExisting");
        assertThat(readOnly).allSatisfy(outcome -> assertThat(outcome.detail())
                .matches("skipped: read-only store \\S+ \\(does not declare capability (WRITE|DELETE); .+\\)"));
        // no skip names WRITE or DELETE other than as a read-only store
        assertThat(outcomes.with(Status.SKIPPED)).filteredOn(outcome -> !readOnly.contains(outcome))
                .allSatisfy(outcome -> assertThat(outcome.detail())
                        .doesNotContain("capability WRITE", "capability DELETE"));
        // the unsupported-operation paths ran and passed: add and delete fail as the capabilities say
        assertThat(outcomes.of("s11_addWithoutWriteCapabilityFailsAsUnsupported").orElseThrow().status())
                .isEqualTo(Status.PASSED);
        assertThat(outcomes.of("s11_deleteWithoutDeleteCapabilityFailsAsUnsupported").orElseThrow().status())
                .isEqualTo(Status.PASSED);
        System.out.println("HTTP store under the kit: " + outcomes.with(Status.PASSED).size() + " passed, "
                + readOnly.size() + " skipped as read-only store, "
                + (outcomes.with(Status.SKIPPED).size() - readOnly.size()) + " skipped for other reasons");
    }
}
