package dev.stowage.spi;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * What a strategy may use besides the locations: each store's weight (by store name) and the preferred store types
 * in order (trimmed, lower case, blanks and duplicates dropped).
 */
public record StrategyContext(Map<String, Integer> storeWeights, List<String> storeTypePreference) {
    private static final StrategyContext EMPTY = new StrategyContext(Map.of(), List.of());

    public StrategyContext {
        storeWeights = Map.copyOf(requireNonNull(storeWeights, "storeWeights is null"));
        requireNonNull(storeTypePreference, "storeTypePreference is null");
        LinkedHashSet<String> types = new LinkedHashSet<>();
        storeTypePreference.stream().filter(Objects::nonNull).map(type -> type.trim().toLowerCase(Locale.ROOT))
                .filter(type -> !type.isEmpty()).forEach(types::add);
        storeTypePreference = List.copyOf(types);
    }

    /** No weights and no preference. */
    public static StrategyContext empty() {
        return EMPTY;
    }

    /** The weight of the named store; 0 for a store that is not known. */
    public int weight(String store) {
        return storeWeights.getOrDefault(store, 0);
    }
}
