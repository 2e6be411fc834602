package dev.stowage.tck;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/** Correct location strategies, and broken ones with one fault each, for the strategy contract's self-tests. */
final class Strategies {
    private Strategies() {
    }

    static List<Location> checkedCopy(List<Location> locations) {
        requireNonNull(locations, "locations is null");
        for (int i = 0; i < locations.size(); i++) {
            requireNonNull(locations.get(i), "locations holds null at index " + i);
        }
        return new ArrayList<>(locations);
    }

    private abstract static class Named implements LocationStrategy {
        @Override
        public String name() {
            return getClass().getSimpleName();
        }
    }

    /** As given (glance's location_order). */
    static final class AsGiven extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            return checkedCopy(locations);
        }
    }

    /** Highest store weight first, stable (glance's weight). */
    static class ByWeight extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> out = checkedCopy(locations);
            out.sort(Comparator.comparingInt((Location location) -> context.weight(location.store())).reversed());
            return out;
        }
    }

    /** Preferred store types first, in preference order, others after; stable (glance's store_type). */
    static final class ByStoreType extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> out = checkedCopy(locations);
            List<String> preference = context.storeTypePreference();
            out.sort(Comparator.comparingInt(location -> {
                String type = location.scheme().replaceFirst("\\+.*", "");
                int at = preference.indexOf(type.equals("https") ? "http" : type);
                return at < 0 ? preference.size() : at;
            }));
            return out;
        }
    }

    /** L1: loses the last location. */
    static final class Drops extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> out = checkedCopy(locations);
            if (out.size() > 1) {
                out.remove(out.size() - 1);
            }
            return out;
        }
    }

    /** L1: repeats the first location at the end. */
    static final class Duplicates extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> out = checkedCopy(locations);
            if (out.size() > 1) {
                out.add(out.get(0));
            }
            return out;
        }
    }

    /** L2: shuffles. */
    static final class Nondeterministic extends Named {
        private final Random random = new Random();

        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> out = checkedCopy(locations);
            Collections.shuffle(out, random);
            return out;
        }
    }

    /** L3: orders by weight but reverses each run of equal weight. */
    static final class Unstable extends ByWeight {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            List<Location> out = super.order(locations, context);
            int start = 0;
            for (int i = 1; i <= out.size(); i++) {
                if (i == out.size() || context.weight(out.get(i).store()) != context.weight(out.get(start).store())) {
                    Collections.reverse(out.subList(start, i));
                    start = i;
                }
            }
            return out;
        }
    }

    /** L6: sorts the caller's list in place. */
    static final class MutatesInput extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            checkedCopy(locations);
            locations.sort(Comparator.comparing((Location location) -> location.uri().toString()));
            return new ArrayList<>(locations);
        }
    }

    /** L5: silently drops null elements. */
    static final class IgnoresNulls extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            requireNonNull(locations, "locations is null");
            return new ArrayList<>(locations.stream().filter(Objects::nonNull).toList());
        }
    }

    /** L6: returns the caller's own list. */
    static final class ReturnsInput extends Named {
        @Override
        public List<Location> order(List<Location> locations, StrategyContext context) {
            checkedCopy(locations);
            return locations;
        }
    }
}
