package dev.stowage.api;

import static java.util.Objects.requireNonNull;

/**
 * One try of a failover read ({@link Stores#open}): the attempt's number (1 for the first), the location tried and the
 * byte offset it was asked to start at (the bytes already delivered to the caller).
 */
public record ReadAttempt(int number, Location location, long offset) {
    public ReadAttempt {
        requireNonNull(location, "location is null");
        if (number < 1) {
            throw new IllegalArgumentException("number must be at least 1: " + number);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
    }

    @Override
    public String toString() {
        return "attempt " + number + " at " + location + " from offset " + offset;
    }
}
