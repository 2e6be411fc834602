package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Laws every built-in strategy keeps (the LocationStrategy SPI contract), checked on random locations and contexts,
 * plus the strategy's order stated independently as a ranking: the result must be sorted by that ranking, and equal
 * ranks must keep their given order. Subclasses give the strategy and the ranking.
 */
abstract class StrategyLaws {
    static final List<String> SCHEMES = List.of("file", "filesystem", "http", "https", "s3", "s3+http", "s3+https",
            "swift", "swift+http", "swift+https", "rbd", "cinder", "vsphere", "memory", "FILE", "Https");
    static final List<String> STORES = List.of("", "local", "nfs", "cdn", "s3-east", "unknown");
    static final List<String> PREFERENCE_NAMES = List.of("file", "http", "s3", "swift", "rbd", "cinder", "vsphere",
            "vmware", " File ", "", "  ", "gopher", "memory", "HTTP");

    protected abstract LocationStrategy strategy();

    /** The order the strategy must produce, as a ranking: lower first; ties keep the given order. */
    protected abstract Comparator<Location> ranking(StrategyContext context);

    static Gen<List<Location>> locationLists() {
        Gen<String> schemes = Generate.pick(SCHEMES);
        Gen<String> stores = Generate.pick(STORES);
        Gen<String[]> one = schemes.zip(stores, (scheme, store) -> new String[] {scheme, store});
        return lists().of(one).ofSizeBetween(0, 12).map(pairs -> {
            List<Location> locations = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                String[] pair = pairs.get(i);
                // distinct URIs, so stability is observable
                locations.add(Location.of(URI.create(pair[0] + "://host/image-" + i), pair[1], Map.of()));
            }
            return locations;
        });
    }

    static Gen<StrategyContext> contexts() {
        Gen<List<Integer>> weights = lists().of(integers().between(-3, 3)).ofSize(STORES.size());
        Gen<List<String>> preference = lists().of(Generate.pick(PREFERENCE_NAMES)).ofSizeBetween(0, 6);
        return weights.zip(preference, (w, p) -> {
            Map<String, Integer> map = new HashMap<>();
            // leave the last store ("unknown") out of the weights: it must count as 0
            for (int i = 0; i < STORES.size() - 1; i++) {
                map.put(STORES.get(i), w.get(i));
            }
            return new StrategyContext(map, p);
        });
    }

    @Test
    void resultIsAPermutationSortedByTheRankingAndStable() {
        qt().withExamples(400).forAll(locationLists(), contexts()).checkAssert((locations, context) -> {
            List<Location> input = List.copyOf(locations);
            List<Location> ordered = strategy().order(locations, context);

            assertThat(ordered).as("a permutation of the input").containsExactlyInAnyOrderElementsOf(input);
            assertThat(locations).as("input left as it was").containsExactlyElementsOf(input);
            Map<Location, Integer> position = new IdentityHashMap<>();
            for (int i = 0; i < input.size(); i++) {
                position.put(input.get(i), i);
            }
            Comparator<Location> ranking = ranking(context);
            for (int i = 1; i < ordered.size(); i++) {
                Location before = ordered.get(i - 1);
                Location after = ordered.get(i);
                int compared = ranking.compare(before, after);
                assertThat(compared).as("%s must not come before %s (context %s)", before, after, context)
                        .isLessThanOrEqualTo(0);
                if (compared == 0) {
                    assertThat(position.get(before)).as("equal ranks keep their order: %s, %s", before, after)
                            .isLessThan(position.get(after));
                }
            }
        });
    }

    @Test
    void resultIsDeterministicAndIndependentOfTheInputList() {
        qt().withExamples(200).forAll(locationLists(), contexts()).checkAssert((locations, context) -> {
            List<Location> first = strategy().order(locations, context);
            List<Location> again = strategy().order(new LinkedList<>(locations), context);
            assertThat(again).isEqualTo(first);
            List<Location> expected = List.copyOf(first);
            Collections.reverse(locations);
            assertThat(first).as("a new list, not a view of the input").isEqualTo(expected);
        });
    }

    @Test
    void emptyInputGivesAnEmptyList() {
        assertThat(strategy().order(List.of(), StrategyContext.empty())).isEmpty();
        assertThat(strategy().order(new ArrayList<>(), new StrategyContext(Map.of("a", 2), List.of("file"))))
                .isEmpty();
    }

    @Test
    void nullArgumentsFailNamingWhatWasNull() {
        LocationStrategy strategy = strategy();
        assertThatThrownBy(() -> strategy.order(null, StrategyContext.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("locations is null");
        List<Location> withNull = Arrays.asList(Locations.at("file:///a"), null);
        assertThatThrownBy(() -> strategy.order(withNull, StrategyContext.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("locations[1] is null");
        assertThatThrownBy(() -> strategy.order(List.of(Locations.at("file:///a")), null))
                .isInstanceOf(NullPointerException.class).hasMessage("context is null");
    }

    @Test
    void isFoundByItsNameThroughServiceLoader() {
        LocationStrategy found = LocationStrategies.named(strategy().name());
        assertThat(found).isExactlyInstanceOf(strategy().getClass());
        assertThat(LocationStrategies.names()).contains(strategy().name());
    }
}
