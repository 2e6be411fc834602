package dev.stowage.tck;

import dev.stowage.tck.runner.Outcomes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit fails, on the right rule, against each deliberately broken driver of {@link BrokenStores}: every listed
 * test fails with a message that starts with its rule id and holds the "If this fails, check" hint, and many other
 * tests still pass (the kit pinpoints the fault instead of failing everything).
 */
class BrokenDriversTest {
    private static final Map<Class<?>, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put(BrokenStores.Truncating.class, List.of("s1_roundTripOneByte", "s1_roundTripChunkSize",
                "s1_largeObjectStreamsWithDeclaredSize", "s1_roundTripWithUnknownSize",
                "s6_wholeObjectReadReturnsEveryByte"));
        EXPECTED.put(BrokenStores.IgnoresOffset.class, List.of("s6_headMiddleAndTailReads",
                "s6_rangedReadsReturnExactBytes", "s6_tailReadsReturnExactBytes"));
        EXPECTED.put(BrokenStores.OverwritesDuplicates.class, List.of("s5_duplicateAddFailsAndKeepsExisting"));
        EXPECTED.put(BrokenStores.LeavesPartialObject.class, List.of(
                "s3_shorterStreamThanDeclaredFailsAndStoresNothing", "s3_longerStreamThanDeclaredFailsAndStoresNothing",
                "s4_failingStreamLeavesNothing", "s4_failingStreamOfUnknownSizeLeavesNothing"));
        EXPECTED.put(BrokenStores.LeavesTempFile.class, List.of("s3_shorterStreamThanDeclaredFailsAndStoresNothing",
                "s4_failingStreamLeavesNothing", "s4_failingStreamOfUnknownSizeLeavesNothing"));
        EXPECTED.put(BrokenStores.LeaksSecretIntoLocation.class, List.of("s9_locationsCarryNoSecrets"));
        EXPECTED.put(BrokenStores.LeaksSecretIntoErrors.class, List.of("s10_errorsCarryNoSecrets"));
        EXPECTED.put(BrokenStores.AcceptsUnsafeIds.class, List.of("s9_unsafeImageIdsAreRejected",
                "s9_generatedUnsafeImageIdsAreRejected"));
        EXPECTED.put(BrokenStores.NotThreadSafe.class, List.of("s12_concurrentAddsAndReads"));
        EXPECTED.put(BrokenStores.NonAtomicCreate.class, List.of("s5_exactlyOneWinnerUnderRace"));
        EXPECTED.put(BrokenStores.WrongNotFoundError.class, List.of("s7_getOfMissingObjectFailsWithNotFound",
                "s7_sizeOfMissingObjectFailsWithNotFound", "s8_deletedObjectIsNotFound"));
        EXPECTED.put(BrokenStores.DeleteKeepsObject.class, List.of("s8_deletedObjectIsNotFound"));
        EXPECTED.put(BrokenStores.IgnoresDeclaredSize.class, List.of(
                "s3_shorterStreamThanDeclaredFailsAndStoresNothing", "s3_longerStreamThanDeclaredFailsAndStoresNothing"));
        EXPECTED.put(BrokenStores.WrongUnsupportedError.class,
                List.of("s11_deleteWithoutDeleteCapabilityFailsAsUnsupported"));
        EXPECTED.put(BrokenStores.AcceptsForeignSchemes.class, List.of("s9_foreignSchemesAreRejected"));
        EXPECTED.put(BrokenStores.IgnoresHashAlgorithm.class, List.of("s2_addHonoursEveryHashAlgorithm"));
        EXPECTED.put(BrokenStores.StreamIgnoresClose.class, List.of("s6_closedStreamThrowsAndCloseTwiceIsHarmless"));
        EXPECTED.put(BrokenStores.VisibleDuringAdd.class, List.of("s4_objectInvisibleUntilAddReturns"));
        EXPECTED.put(BrokenStores.WorksAfterClose.class, List.of("s13_closedStoreRefusesWork"));
        EXPECTED.put(BrokenStores.CloseNotIdempotent.class, List.of("s13_closeIsIdempotent"));
        EXPECTED.put(BrokenStores.DropsCause.class, List.of("s10_failingCallerStreamIsTranslatedWithItsCause"));
        EXPECTED.put(BrokenStores.ParsedLocationsLoseMetadata.class, List.of(
                "s14_everyLocationCarriesTheStoreMetadata", "s9_locationRoundTrips"));
    }

    @TestFactory
    Stream<DynamicTest> kitFailsOnTheBrokenRule() {
        return EXPECTED.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey().getSimpleName(), () -> {
            Outcomes outcomes = KitRun.run(entry.getKey());
            System.out.println(entry.getKey().getSimpleName() + ":\n" + KitRun.table(outcomes));
            int total = StoreContract.testNames().size();
            assertThat(outcomes.all()).as("every kit test ran").hasSize(total);
            for (String test : entry.getValue()) {
                Rule rule = Rule.ofTest(test).orElseThrow();
                Outcomes.Outcome outcome = outcomes.of(test).orElseThrow();
                assertThat(outcome.status()).as(test + " against " + entry.getKey().getSimpleName() + ": "
                        + outcome.detail()).isEqualTo(Outcomes.Status.FAILED);
                assertThat(outcome.detail()).as("failure message of " + test)
                        .startsWith(rule.id() + " (" + rule.title() + ") violated: ")
                        .contains("If this fails, check ");
            }
            List<Outcomes.Outcome> failed = outcomes.with(Outcomes.Status.FAILED);
            assertThat(failed).as("no failure outside the rules the fault touches").allSatisfy(outcome ->
                    assertThat(outcome.detail()).matches("(?s)^(S\\d+|KIT) \\(.*"));
            assertThat(outcomes.with(Outcomes.Status.PASSED).size()).as("tests still passing: the kit pinpoints"
                    + " the fault instead of failing everything").isGreaterThanOrEqualTo(20);
        }));
    }

    @TestFactory
    Stream<DynamicTest> atLeastTenBrokenDriversCoverTheRules() {
        return Stream.of(DynamicTest.dynamicTest("broken drivers", () -> {
            assertThat(EXPECTED).hasSizeGreaterThanOrEqualTo(10);
            assertThat(EXPECTED.values().stream().flatMap(List::stream).map(t -> Rule.ofTest(t).orElseThrow())
                    .distinct()).as("rules with a broken driver").hasSizeGreaterThanOrEqualTo(14);
        }));
    }
}
