package dev.stowage.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a fan-out add ({@link Stores#addAll}): for each store either its {@link AddResult} or the
 * {@link StoreException} it failed with. Both maps keep the order the stores were given in.
 *
 * @param imageId the image that was added
 * @param added   store name to result, for the stores that hold a copy
 * @param failed  store name to error, for the stores that do not
 */
public record FanOutResult(String imageId, Map<String, AddResult> added, Map<String, StoreException> failed) {

    public FanOutResult {
        requireNonNull(imageId, "imageId is null");
        requireNonNull(added, "added is null");
        requireNonNull(failed, "failed is null");
        for (String store : added.keySet()) {
            if (failed.containsKey(store)) {
                throw new IllegalArgumentException("store " + store + " is both added and failed");
            }
        }
        added.forEach((store, result) -> requireNonNull(result, "result of store " + store + " is null"));
        failed.forEach((store, error) -> requireNonNull(error, "error of store " + store + " is null"));
        added = Collections.unmodifiableMap(new LinkedHashMap<>(added));
        failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }

    /** Whether every store holds a copy. */
    public boolean allSucceeded() {
        return failed.isEmpty();
    }

    /** The locations of the copies, in the order the stores were given in. */
    public List<Location> locations() {
        List<Location> locations = new ArrayList<>(added.size());
        added.values().forEach(result -> locations.add(result.location()));
        return List.copyOf(locations);
    }

    /** The result of one store, if it holds a copy. */
    public Optional<AddResult> result(String store) {
        return Optional.ofNullable(added.get(store));
    }

    /** The error of one store, if it failed. */
    public Optional<StoreException> failure(String store) {
        return Optional.ofNullable(failed.get(store));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("FanOutResult[").append(imageId).append(": added ")
                .append(added.keySet());
        if (!failed.isEmpty()) {
            text.append(", failed");
            failed.forEach((store, error) -> text.append(' ').append(store).append(" [")
                    .append(error.errorCode().code()).append(']'));
        }
        return text.append(']').toString();
    }
}
