package dev.stowage.api;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A fan-out add that required every store to succeed failed in at least one of them. The copies already written
 * elsewhere were removed; {@link #failures()} says which stores failed and why.
 */
public class AddFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, StoreException> failures;

    public AddFailedException(String imageId, Map<String, StoreException> failures) {
        super(ErrorCode.ADD_FAILED, message(imageId, failures),
                failures.isEmpty() ? null : failures.values().iterator().next());
        this.failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    private static String message(String imageId, Map<String, StoreException> failures) {
        requireNonNull(imageId, "imageId is null");
        requireNonNull(failures, "failures is null");
        StringBuilder message = new StringBuilder("Cannot add image ").append(imageId).append(": failed in ");
        message.append(failures.size()).append(failures.size() == 1 ? " store" : " stores");
        failures.forEach((store, error) -> message.append("\n  - ").append(store)
                .append(" [").append(error.errorCode().code()).append("] ").append(error.getMessage()));
        return message.toString();
    }

    /** Store name to failure, in the order the stores were given. */
    public Map<String, StoreException> failures() {
        return failures;
    }
}
