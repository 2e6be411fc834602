package dev.stowage.api;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Every location of an image was tried and none could be read. {@link #failures()} lists each attempt. */
public class AllLocationsFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient List<LocationFailure> failures;

    public AllLocationsFailedException(List<LocationFailure> failures) {
        super(ErrorCode.ALL_LOCATIONS_FAILED, message(failures));
        this.failures = List.copyOf(failures);
        this.failures.forEach(failure -> addSuppressed(failure.error()));
    }

    private static String message(List<LocationFailure> failures) {
        requireNonNull(failures, "failures is null");
        if (failures.isEmpty()) {
            return "Cannot read image: no locations given";
        }
        StringBuilder message = new StringBuilder("Cannot read image from any of ")
                .append(failures.size()).append(failures.size() == 1 ? " location:" : " locations:");
        for (LocationFailure failure : failures) {
            message.append("\n  - ").append(failure.location().uri())
                    .append(" [").append(failure.error().errorCode().code()).append("] ")
                    .append(failure.error().getMessage());
        }
        return message.toString();
    }

    /** The failures, in the order the locations were tried. */
    public List<LocationFailure> failures() {
        return failures;
    }

    /** One failed attempt: the location and what went wrong there. */
    public record LocationFailure(Location location, StoreException error) {
        public LocationFailure {
            requireNonNull(location, "location is null");
            requireNonNull(error, "error is null");
        }
    }
}
