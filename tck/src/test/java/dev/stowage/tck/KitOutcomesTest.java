package dev.stowage.tck;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.Capability;
import dev.stowage.api.Location;
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.tck.runner.Outcomes;
import dev.stowage.tck.runner.Outcomes.Status;
import dev.stowage.testing.InMemoryStoreDriver;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The three outcomes (pass, fail, skip with reason), strict known deviations and loud setup failures. */
class KitOutcomesTest {
    private static final Set<String> UNSUPPORTED_PATHS = Set.of("s11_addWithoutWriteCapabilityFailsAsUnsupported",
            "s11_deleteWithoutDeleteCapabilityFailsAsUnsupported",
            "s11_rangedReadWithoutRangeCapabilityFailsAsUnsupported", "s11_readWithoutReadCapabilityFailsAsUnsupported");

    /** The reference driver with every optional hook, and small sizes. */
    static class Reference extends StoreContract {
        static final String SECRET = "ref-S3cret-Key";
        final String namespace = "outcomes-" + UUID.randomUUID();

        @Override
        protected Store newStore() {
            InMemoryStoreDriver driver = new InMemoryStoreDriver();
            return driver.create(StoreConfig.of("reference", driver.options(),
                    Map.of("namespace", namespace, "access-key", SECRET)));
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withLargeObjectSize(2 << 20).withChunkSize(32 << 10).withThreads(4);
        }

        @Override
        protected Optional<Set<Capability>> expectedCapabilities() {
            return Optional.of(EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE,
                    Capability.DELETE, Capability.ATOMIC_CREATE));
        }

        @Override
        protected Set<String> secrets() {
            return Set.of(SECRET);
        }

        @Override
        protected void cleanup(Store store) {
            InMemoryStoreDriver.objects(namespace).clear();
        }
    }

    /** Only the required hook, as the README's example. */
    static final class Minimal extends StoreContract {
        final String namespace = "minimal-" + UUID.randomUUID();

        @Override
        protected Store newStore() {
            InMemoryStoreDriver driver = new InMemoryStoreDriver();
            return driver.create(StoreConfig.of("minimal", driver.options(), Map.of("namespace", namespace)));
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withLargeObjectSize(1 << 20).withChunkSize(16 << 10);
        }
    }

    /** A correct read-only store (like an HTTP store): fixtures are placed behind it. */
    static class ReadOnly extends StoreContract {
        final String namespace = "readonly-" + UUID.randomUUID();

        @Override
        protected Store newStore() {
            InMemoryStoreDriver driver = new InMemoryStoreDriver();
            Store memory = driver.create(StoreConfig.of("readonly", driver.options(), Map.of("namespace", namespace)));
            return new ForwardingStore(memory, InMemoryStoreDriver.objects(namespace)) {
                @Override
                public Set<Capability> capabilities() {
                    return EnumSet.of(Capability.READ, Capability.RANGE_READ);
                }

                @Override
                public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
                    throw new OperationNotSupportedException(Capability.WRITE, "Cannot add " + imageId
                            + ": store readonly is read-only");
                }

                @Override
                public void delete(Location location) {
                    throw new OperationNotSupportedException(Capability.DELETE, "Cannot delete " + location.uri()
                            + ": store readonly is read-only");
                }
            };
        }

        @Override
        protected Location putFixture(Store store, String imageId, byte[] data) {
            InMemoryStoreDriver.objects(namespace).put(imageId, data.clone());
            return store.location(URI.create("memory://" + namespace + "/" + imageId));
        }

        @Override
        protected Optional<Set<Capability>> expectedCapabilities() {
            return Optional.of(EnumSet.of(Capability.READ, Capability.RANGE_READ));
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withLargeObjectSize(1 << 20).withChunkSize(16 << 10);
        }

        @Override
        protected void cleanup(Store store) {
            InMemoryStoreDriver.objects(namespace).clear();
        }
    }

    static final class NullFactory extends StoreContract {
        @Override
        protected Store newStore() {
            return null;
        }
    }

    static final class ThrowingFactory extends StoreContract {
        @Override
        protected Store newStore() {
            throw new IllegalStateException("endpoint not configured: set STORE_URL");
        }
    }

    static final class DeviationStillPresent extends BrokenStores.Broken {
        @Override
        Store wrap(Store memory, Map<String, byte[]> objects) {
            return new BrokenStores.OverwritesDuplicates().wrap(memory, objects);
        }

        @Override
        protected ContractSettings settings() {
            return super.settings()
                    .withKnownDeviation("s5_duplicateAddFailsAndKeepsExisting", "a duplicate add replaces (tracked)")
                    .withKnownDeviation("s5_exactlyOneWinnerUnderRace", "a duplicate add replaces (tracked)")
                    .withKnownDeviation("s10_errorsCarryNoSecrets", "collects the duplicate error, which is missing");
        }
    }

    static final class DeviationGone extends Reference {
        @Override
        protected ContractSettings settings() {
            return super.settings().withKnownDeviation("s1_roundTripOneByte", "single bytes got lost (fixed?)");
        }
    }

    static final class DeviationMisnamed extends Reference {
        @Override
        protected ContractSettings settings() {
            return super.settings().withKnownDeviation("s5_duplicateAddFailsAndKeepExisting", "typo in the name");
        }
    }

    static final class DeviationOnSkippedTest extends ReadOnly {
        @Override
        protected ContractSettings settings() {
            return super.settings().withKnownDeviation("s1_roundTripOneByte", "cannot write at all");
        }
    }

    @Test
    void referenceDriverPassesAndSkipsOnlyTheUnsupportedPathsOfDeclaredCapabilities() {
        Outcomes outcomes = KitRun.run(Reference.class);
        System.out.println("Reference:\n" + KitRun.table(outcomes));
        assertThat(outcomes.all()).hasSize(StoreContract.testNames().size());
        assertThat(outcomes.with(Status.FAILED)).isEmpty();
        assertThat(outcomes.with(Status.SKIPPED)).extracting(Outcomes.Outcome::test)
                .containsExactlyInAnyOrderElementsOf(UNSUPPORTED_PATHS);
        assertThat(outcomes.with(Status.SKIPPED)).allSatisfy(outcome -> assertThat(outcome.detail())
                .startsWith("skipped: store reference declares capability "));
        assertThat(outcomes.with(Status.PASSED)).hasSize(StoreContract.testNames().size() - 4);
    }

    @Test
    void minimalContractSkipsOptionalChecksWithReasons() {
        Outcomes outcomes = KitRun.run(Minimal.class);
        assertThat(outcomes.with(Status.FAILED)).isEmpty();
        assertThat(outcomes.of("s11_capabilitiesMatchTheDeclaration").orElseThrow().detail())
                .contains("no expected capabilities declared", "expectedCapabilities()");
        assertThat(outcomes.of("s9_locationsCarryNoSecrets").orElseThrow().detail())
                .contains("no secrets declared", "secrets()");
        assertThat(outcomes.of("s10_errorsCarryNoSecrets").orElseThrow().status()).isEqualTo(Status.SKIPPED);
        assertThat(outcomes.with(Status.SKIPPED)).hasSize(UNSUPPORTED_PATHS.size() + 3);
    }

    @Test
    void readOnlyStorePassesWithWriteTestsSkippedByCapability() {
        Outcomes outcomes = KitRun.run(ReadOnly.class);
        System.out.println("ReadOnly:\n" + KitRun.table(outcomes));
        assertThat(outcomes.with(Status.FAILED)).isEmpty();
        assertThat(outcomes.of("s11_addWithoutWriteCapabilityFailsAsUnsupported").orElseThrow().status())
                .isEqualTo(Status.PASSED);
        assertThat(outcomes.of("s11_deleteWithoutDeleteCapabilityFailsAsUnsupported").orElseThrow().status())
                .isEqualTo(Status.PASSED);
        assertThat(outcomes.of("s1_roundTripOneByte").orElseThrow().detail())
                .isEqualTo("skipped: read-only store readonly (does not declare capability WRITE; the round trip adds an object)");
        assertThat(outcomes.of("s6_rangedReadsReturnExactBytes").orElseThrow().status()).isEqualTo(Status.PASSED);
        assertThat(outcomes.of("s7_getOfMissingObjectFailsWithNotFound").orElseThrow().status())
                .isEqualTo(Status.PASSED);
        assertThat(outcomes.with(Status.SKIPPED)).allSatisfy(outcome -> assertThat(outcome.detail())
                .matches("skipped: (read-only store readonly \\(does not declare capability (WRITE|DELETE);"
                        + "|store readonly (does not declare|declares) capability [A-Z_]+|no secrets declared).*"));
    }

    @Test
    void factoryReturningNullFailsEveryTestLoudly() {
        Outcomes outcomes = KitRun.run(NullFactory.class);
        assertThat(outcomes.all()).hasSize(StoreContract.testNames().size());
        assertThat(outcomes.all()).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.detail()).startsWith("KIT (").contains("newStore() returned null",
                    NullFactory.class.getName());
        });
    }

    @Test
    void factoryThrowingFailsEveryTestLoudly() {
        Outcomes outcomes = KitRun.run(ThrowingFactory.class);
        assertThat(outcomes.all()).hasSize(StoreContract.testNames().size());
        assertThat(outcomes.all()).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.detail()).contains("newStore() threw",
                    "endpoint not configured: set STORE_URL", "If this fails, check ");
        });
    }

    @Test
    void declaredDeviationThatStillFailsIsAnExpectedFailure() {
        Outcomes outcomes = KitRun.run(DeviationStillPresent.class);
        assertThat(outcomes.with(Status.FAILED)).isEmpty();
        assertThat(outcomes.with(Status.DEVIATION)).extracting(Outcomes.Outcome::test).containsExactlyInAnyOrder(
                "s5_duplicateAddFailsAndKeepsExisting", "s5_exactlyOneWinnerUnderRace", "s10_errorsCarryNoSecrets");
        assertThat(outcomes.of("s5_duplicateAddFailsAndKeepsExisting").orElseThrow().detail())
                .startsWith("a duplicate add replaces (tracked) | failed as expected: S5 (");
    }

    @Test
    void declaredDeviationThatPassesFailsAsNoLongerPresent() {
        Outcomes outcomes = KitRun.run(DeviationGone.class);
        assertThat(outcomes.with(Status.FAILED)).singleElement().satisfies(outcome -> {
            assertThat(outcome.test()).isEqualTo("s1_roundTripOneByte");
            assertThat(outcome.detail()).startsWith("KIT (").contains("known deviation no longer present",
                    "single bytes got lost (fixed?)", "remove the declaration of s1_roundTripOneByte");
        });
    }

    @Test
    void deviationNamingNoTestFailsTheDeclarationCheck() {
        Outcomes outcomes = KitRun.run(DeviationMisnamed.class);
        assertThat(outcomes.with(Status.FAILED)).singleElement().satisfies(outcome -> {
            assertThat(outcome.test()).isEqualTo("kit_declaredDeviationsNameContractTests");
            assertThat(outcome.detail()).contains("'s5_duplicateAddFailsAndKeepExisting', which is not a test",
                    "did you mean 's5_duplicateAddFailsAndKeepsExisting'");
        });
    }

    @Test
    void deviationOnASkippedTestStaysSkipped() {
        Outcomes outcomes = KitRun.run(DeviationOnSkippedTest.class);
        assertThat(outcomes.with(Status.FAILED)).isEmpty();
        assertThat(outcomes.of("s1_roundTripOneByte").orElseThrow().status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void everyTestIsFinalAndNamedByRule() {
        List<java.lang.reflect.Method> tests = java.util.Arrays.stream(StoreContract.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(org.junit.jupiter.api.Test.class)).toList();
        assertThat(tests).hasSizeGreaterThanOrEqualTo(45);
        assertThat(tests).allSatisfy(method -> {
            assertThat(java.lang.reflect.Modifier.isFinal(method.getModifiers())).as(method.getName()).isTrue();
            assertThat(Rule.ofTest(method.getName())).as(method.getName()).isPresent();
        });
        assertThat(tests.stream().map(m -> Rule.ofTest(m.getName()).orElseThrow()).distinct())
                .containsAll(List.of(Rule.S1, Rule.S2, Rule.S3, Rule.S4, Rule.S5, Rule.S6, Rule.S7, Rule.S8, Rule.S9,
                        Rule.S10, Rule.S11, Rule.S12, Rule.S13, Rule.S14, Rule.KIT));
    }
}
