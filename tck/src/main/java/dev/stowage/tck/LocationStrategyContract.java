package dev.stowage.tck;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.stowage.tck.Checks.check;
import static dev.stowage.tck.Checks.failure;

/**
 * The rules every {@link LocationStrategy} keeps (L1-L6), property-tested with QuickTheories over generated location
 * lists (several schemes, stores, hosts and metadata; many equal locations so ties are frequent) and generated
 * contexts (store weights, store-type preferences) as well as the implementer's own {@link #context()}:
 * <ul>
 *   <li>L1: the result is a permutation of the input (nothing lost, nothing duplicated; the same instances);</li>
 *   <li>L2: deterministic (equal inputs give equal outputs);</li>
 *   <li>L3: stable (equal locations keep their relative order; ordering an ordered list changes nothing);</li>
 *   <li>L4: an empty list gives an empty list;</li>
 *   <li>L5: a null list or a null element fails with a {@link NullPointerException} that says which;</li>
 *   <li>L6: the input list is left untouched (also an unmodifiable one is accepted).</li>
 * </ul>
 * Extend it and implement {@link #strategy()}. Known deviations are declared with {@link #knownDeviations()} and are
 * strict expected failures, as in {@link StoreContract}. The seed is printed and replayed with
 * {@code -Dstowage.tck.seed}.
 */
@ExtendWith(KnownDeviations.class)
public abstract class LocationStrategyContract {
    private static final List<String> SCHEMES = List.of("file", "http", "https", "s3", "s3+https", "memory",
            "swift+https", "rbd");
    private static final List<String> STORES = List.of("", "alpha", "beta", "gamma", "delta");
    private static final List<String> TYPES = List.of("file", "http", "s3", "swift", "rbd", "cinder", "vsphere");
    private static final int EXAMPLES = 200;

    private LocationStrategy strategy;

    /** The strategy under test (a new or shared instance; it is called from one thread). */
    protected abstract LocationStrategy strategy();

    /** A context the strategy is also checked with, besides generated ones. */
    protected StrategyContext context() {
        return StrategyContext.empty();
    }

    /** Tests expected to fail (test name to reason): strict expected failures. */
    protected Map<String, String> knownDeviations() {
        return Map.of();
    }

    Optional<String> deviationReason(String test) {
        Map<String, String> declared = knownDeviations();
        return declared == null ? Optional.empty() : Optional.ofNullable(declared.get(test));
    }

    /** Names of every test of the strategy contract. */
    public static Set<String> testNames() {
        return StoreContract.testNamesOf(LocationStrategyContract.class);
    }

    @BeforeEach
    final void kitStrategy() {
        LocationStrategy made;
        try {
            made = strategy();
        } catch (RuntimeException e) {
            throw failure(Rule.KIT, "strategy() threw " + e, "strategy() of " + getClass().getName(), e);
        }
        if (made == null) {
            throw failure(Rule.KIT, "strategy() returned null", "strategy() of " + getClass().getName());
        }
        strategy = made;
    }

    @Test
    public final void kit_declaredDeviationsNameContractTests() {
        Map<String, String> declared = knownDeviations();
        check(declared != null, Rule.KIT, () -> "knownDeviations() returned null", "return Map.of() for none");
        Set<String> tests = testNames();
        declared.forEach((test, reason) -> {
            check(tests.contains(test), Rule.KIT, () -> "knownDeviations() names '" + test + "', which is not a test"
                    + " of the strategy contract" + Suggest.hint(test, tests), "the test names in the report");
            check(reason != null && !reason.isBlank(), Rule.KIT, () -> "the known deviation " + test
                    + " has no reason", "knownDeviations(): say why");
        });
    }

    @Test
    public final void l1_resultIsAPermutationOfTheInput() {
        property(Rule.L1, "order(list) holds every input location exactly once", lists(), (input, context) -> {
            List<Location> output = order(Rule.L1, input, context);
            Map<Location, Integer> counts = new IdentityHashMap<>();
            for (Location location : output) {
                check(location != null, Rule.L1, () -> "the result " + output + " holds null",
                        "that the strategy returns only input locations");
                counts.merge(location, 1, Integer::sum);
            }
            for (Location location : input) {
                int seen = counts.getOrDefault(location, 0);
                check(seen == 1, Rule.L1, () -> "input location " + location + " appears " + seen
                        + " times in the result " + output + " of " + input, "that the strategy sorts or reorders"
                        + " the given instances and neither drops, copies nor duplicates any");
            }
            check(output.size() == input.size(), Rule.L1, () -> "the result has " + output.size() + " locations for "
                    + input.size() + " given: " + output, "that the result holds the input instances only");
        });
    }

    @Test
    public final void l2_orderIsDeterministic() {
        property(Rule.L2, "equal inputs give equal results", lists(), (input, context) -> {
            List<Location> first = order(Rule.L2, input, context);
            for (int i = 0; i < 3; i++) {
                List<Location> again = order(Rule.L2, copyOf(input), context);
                check(first.equals(again), Rule.L2, () -> "ordering " + input + " gave " + first
                        + " and then " + again, "that the strategy uses no randomness, clock, hash order of"
                        + " identity-based collections or mutable state");
            }
        });
    }

    @Test
    public final void l3_equalLocationsKeepTheirOrder() {
        property(Rule.L3, "equal locations keep their relative order, and ordering twice changes nothing", lists(),
                (input, context) -> {
                    List<Location> output = order(Rule.L3, input, context);
                    Map<Location, List<Location>> byValue = new LinkedHashMap<>();
                    for (Location location : input) {
                        byValue.computeIfAbsent(location, key -> new ArrayList<>()).add(location);
                    }
                    Map<Location, Integer> position = new IdentityHashMap<>();
                    for (int i = 0; i < output.size(); i++) {
                        position.put(output.get(i), i);
                    }
                    for (List<Location> equal : byValue.values()) {
                        for (int i = 1; i < equal.size(); i++) {
                            Integer before = position.get(equal.get(i - 1));
                            Integer after = position.get(equal.get(i));
                            check(before != null && after != null && before < after, Rule.L3, () -> "equal locations "
                                    + equal.get(0) + " changed their relative order: input " + input + ", result "
                                    + output, "that the strategy sorts with a stable sort (List.sort,"
                                    + " Comparator chains) and breaks no ties");
                        }
                    }
                    List<Location> twice = order(Rule.L3, new ArrayList<>(output), context);
                    check(output.equals(twice), Rule.L3, () -> "ordering the result " + output + " again gave "
                            + twice, "that ties keep their given order (a stable sort of a sorted list changes"
                            + " nothing)");
                });
    }

    @Test
    public final void l4_emptyInputGivesAnEmptyList() {
        for (StrategyContext context : List.of(context(), StrategyContext.empty())) {
            List<Location> output = order(Rule.L4, List.of(), context);
            check(output.isEmpty(), Rule.L4, () -> "ordering an empty list gave " + output,
                    "the strategy's handling of an empty input");
        }
    }

    @Test
    public final void l5_nullListOrElementIsRejected() {
        NullPointerException nullList = expectNpe(() -> strategy.order(null, context()), "order(null, context)");
        check(nullList.getMessage() != null && !nullList.getMessage().isBlank(), Rule.L5,
                () -> "order(null, context) threw a NullPointerException without a message",
                "requireNonNull(locations, \"locations is null\")");
        property(Rule.L5, "a null element anywhere fails with a NullPointerException that says so", lists(1),
                (input, context) -> {
                    List<Location> withNull = new ArrayList<>(input);
                    withNull.add(Math.floorMod(input.hashCode(), input.size() + 1), null);
                    NullPointerException error = expectNpe(() -> strategy.order(Collections.unmodifiableList(withNull),
                            context), "order of a list holding null " + withNull);
                    String message = error.getMessage();
                    check(message != null && !message.isBlank(), Rule.L5, () -> "ordering " + withNull
                            + " threw a NullPointerException without a message", "that the strategy checks each"
                            + " element first, with a message such as \"locations holds null at index 2\"");
                });
    }

    @Test
    public final void l6_inputIsLeftUntouched() {
        property(Rule.L6, "order(list) leaves the list as it was and accepts unmodifiable lists", lists(),
                (input, context) -> {
                    List<Location> mutable = new ArrayList<>(input);
                    List<Location> output = order(Rule.L6, mutable, context);
                    check(mutable.equals(input), Rule.L6, () -> "ordering changed the caller's list from " + input
                            + " to " + mutable, "that the strategy sorts a copy (new ArrayList<>(locations))");
                    if (!input.isEmpty()) {
                        check(output != mutable, Rule.L6, () -> "order returned the caller's own list",
                                "that the result is a new list");
                    }
                    order(Rule.L6, List.copyOf(input), context);
                });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private List<Location> order(Rule at, List<Location> input, StrategyContext context) {
        List<Location> output;
        try {
            output = strategy.order(input, context);
        } catch (RuntimeException e) {
            throw failure(at, "order(" + input + ", " + context + ") threw " + e,
                    "that order handles any list of non-null locations (unmodifiable ones included)", e);
        }
        check(output != null, at, () -> "order(" + input + ") returned null", "return a list, empty for none");
        return output;
    }

    private NullPointerException expectNpe(Runnable call, String what) {
        try {
            call.run();
        } catch (NullPointerException e) {
            return e;
        } catch (RuntimeException e) {
            throw failure(Rule.L5, what + " threw " + e + " instead of a NullPointerException",
                    "requireNonNull on the list and each element first", e);
        }
        throw failure(Rule.L5, what + " returned normally", "requireNonNull on the list and each element first");
    }

    private static List<Location> copyOf(List<Location> input) {
        List<Location> copy = new ArrayList<>();
        for (Location location : input) {
            copy.add(new Location(location.uri(), location.store(), location.metadata()));
        }
        return copy;
    }

    /** Lists of locations paired with a context: the implementer's or a generated one. */
    private Gen<Pair> lists() {
        return lists(0);
    }

    /**
     * Lists of at least {@code minSize} locations. A lower bound is generated, never filtered with an assumption:
     * QuickTheories gives up when too many generated values are rejected, which made a rule fail for some seeds.
     */
    private Gen<Pair> lists(int minSize) {
        Gen<Integer> spec = Generate.range(0, 39);
        Gen<List<Location>> locations = SourceDSL.lists().of(spec).ofSizeBetween(minSize, 12)
                .map(specs -> {
                    List<Location> out = new ArrayList<>();
                    for (int s : specs) {
                        out.add(location(s));
                    }
                    return out;
                });
        Gen<StrategyContext> generated = SourceDSL.lists().of(Generate.range(-5, 100)).ofSize(STORES.size())
                .zip(SourceDSL.lists().of(Generate.range(0, TYPES.size() - 1)).ofSizeBetween(0, 4),
                        (weights, types) -> {
                            Map<String, Integer> byStore = new LinkedHashMap<>();
                            for (int i = 1; i < STORES.size(); i++) {
                                if (weights.get(i) % 3 != 0) {
                                    byStore.put(STORES.get(i), weights.get(i));
                                }
                            }
                            List<String> preference = new ArrayList<>();
                            types.forEach(t -> preference.add(TYPES.get(t)));
                            return new StrategyContext(byStore, preference);
                        });
        StrategyContext own = context();
        Gen<StrategyContext> contexts = Generate.frequency(
                org.quicktheories.api.Pair.of(1, Generate.constant(own == null ? StrategyContext.empty() : own)),
                org.quicktheories.api.Pair.of(3, generated));
        return locations.zip(contexts, Pair::new);
    }

    /** Location number {@code spec} of a small pool: equal specs give equal (but distinct) instances. */
    private static Location location(int spec) {
        String scheme = SCHEMES.get(spec % SCHEMES.size());
        String store = STORES.get((spec / 3) % STORES.size());
        int image = spec % 5;
        URI uri = scheme.equals("file") ? URI.create("file:///var/lib/images/img-" + image)
                : scheme.equals("rbd") ? URI.create("rbd://fsid/pool/img-" + image + "/snap")
                : URI.create(scheme + "://host-" + (spec % 4) + "/images/img-" + image);
        Map<String, String> metadata = spec % 7 == 0 ? Map.of("id", "fs-" + (spec % 2), "mountpoint", "/var/lib")
                : Map.of();
        return new Location(uri, store, metadata);
    }

    private record Pair(List<Location> locations, StrategyContext context) {
        @Override
        public String toString() {
            return locations + " with " + context;
        }
    }

    @FunctionalInterface
    private interface Property {
        void check(List<Location> locations, StrategyContext context);
    }

    private void property(Rule at, String what, Gen<Pair> gen, Property body) {
        try {
            QuickTheory.qt().withFixedSeed(TckSeed.seed()).withExamples(EXAMPLES).withShrinkCycles(500)
                    .forAll(gen).checkAssert(pair -> body.check(pair.locations(), pair.context()));
        } catch (TestAbortedException e) {
            throw e;
        } catch (AssertionError e) {
            throw new AssertionFailedError(at.id() + " (" + at.title() + ") violated: property '" + what
                    + "' falsified for strategy '" + strategy.name() + "' (kit seed " + TckSeed.seed()
                    + "; replay with -D" + TckSeed.PROPERTY + "=" + TckSeed.seed() + ")\n" + e.getMessage(), e);
        }
    }
}
