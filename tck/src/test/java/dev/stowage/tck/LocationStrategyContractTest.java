package dev.stowage.tck;

import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;
import dev.stowage.tck.runner.Outcomes;
import dev.stowage.tck.runner.Outcomes.Status;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The strategy contract passes correct strategies and fails each broken one on the rule it breaks. */
class LocationStrategyContractTest {

    static final class AsGivenContract extends LocationStrategyContract {
        @Override
        protected LocationStrategy strategy() {
            return new Strategies.AsGiven();
        }
    }

    static final class ByWeightContract extends LocationStrategyContract {
        @Override
        protected LocationStrategy strategy() {
            return new Strategies.ByWeight();
        }

        @Override
        protected StrategyContext context() {
            return new StrategyContext(Map.of("alpha", 10, "beta", 5), List.of());
        }
    }

    static final class ByStoreTypeContract extends LocationStrategyContract {
        @Override
        protected LocationStrategy strategy() {
            return new Strategies.ByStoreType();
        }

        @Override
        protected StrategyContext context() {
            return new StrategyContext(Map.of(), List.of("file", "http", "s3"));
        }
    }

    abstract static class BrokenContract extends LocationStrategyContract {
        abstract LocationStrategy broken();

        @Override
        protected LocationStrategy strategy() {
            return broken();
        }
    }

    static final class Drops extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.Drops();
        }
    }

    static final class Duplicates extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.Duplicates();
        }
    }

    static final class Nondeterministic extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.Nondeterministic();
        }
    }

    static final class Unstable extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.Unstable();
        }
    }

    static final class MutatesInput extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.MutatesInput();
        }
    }

    static final class IgnoresNulls extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.IgnoresNulls();
        }
    }

    static final class ReturnsInput extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.ReturnsInput();
        }
    }

    static final class UnstableDeclared extends BrokenContract {
        @Override
        LocationStrategy broken() {
            return new Strategies.Unstable();
        }

        @Override
        protected Map<String, String> knownDeviations() {
            return Map.of("l3_equalLocationsKeepTheirOrder", "ties are reversed (tracked)");
        }
    }

    static final class NullStrategy extends LocationStrategyContract {
        @Override
        protected LocationStrategy strategy() {
            return null;
        }
    }

    @TestFactory
    Stream<DynamicTest> correctStrategiesPassEveryRule() {
        return Stream.of(AsGivenContract.class, ByWeightContract.class, ByStoreTypeContract.class)
                .map(contract -> DynamicTest.dynamicTest(contract.getSimpleName(), () -> {
                    Outcomes outcomes = KitRun.run(contract);
                    assertThat(outcomes.all()).hasSize(LocationStrategyContract.testNames().size());
                    assertThat(outcomes.with(Status.PASSED)).as(KitRun.table(outcomes))
                            .hasSize(LocationStrategyContract.testNames().size());
                }));
    }

    @TestFactory
    Stream<DynamicTest> brokenStrategiesFailOnTheirRule() {
        Map<Class<?>, String> expected = new LinkedHashMap<>();
        expected.put(Drops.class, "l1_resultIsAPermutationOfTheInput");
        expected.put(Duplicates.class, "l1_resultIsAPermutationOfTheInput");
        expected.put(Nondeterministic.class, "l2_orderIsDeterministic");
        expected.put(Unstable.class, "l3_equalLocationsKeepTheirOrder");
        expected.put(MutatesInput.class, "l6_inputIsLeftUntouched");
        expected.put(IgnoresNulls.class, "l5_nullListOrElementIsRejected");
        expected.put(ReturnsInput.class, "l6_inputIsLeftUntouched");
        return expected.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey().getSimpleName(),
                () -> {
                    Outcomes outcomes = KitRun.run(entry.getKey());
                    System.out.println(entry.getKey().getSimpleName() + ":\n" + KitRun.table(outcomes));
                    Outcomes.Outcome outcome = outcomes.of(entry.getValue()).orElseThrow();
                    Rule rule = Rule.ofTest(entry.getValue()).orElseThrow();
                    assertThat(outcome.status()).as(outcome.detail()).isEqualTo(Status.FAILED);
                    assertThat(outcome.detail()).startsWith(rule.id() + " (" + rule.title() + ") violated: property")
                            .contains("falsified for strategy '" + entry.getKey().getSimpleName() + "'",
                                    "replay with -Dstowage.tck.seed=", "If this fails, check ");
                    assertThat(outcomes.with(Status.PASSED)).as("the other rules still pass")
                            .hasSizeGreaterThanOrEqualTo(LocationStrategyContract.testNames().size() - 2);
                }));
    }

    @Test
    void declaredDeviationIsAStrictExpectedFailure() {
        Outcomes outcomes = KitRun.run(UnstableDeclared.class);
        assertThat(outcomes.with(Status.FAILED)).isEmpty();
        assertThat(outcomes.of("l3_equalLocationsKeepTheirOrder").orElseThrow().status())
                .isEqualTo(Status.DEVIATION);
    }

    @Test
    void missingStrategyFailsEveryTest() {
        Outcomes outcomes = KitRun.run(NullStrategy.class);
        assertThat(outcomes.all()).isNotEmpty().allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.detail()).contains("strategy() returned null");
        });
    }
}
