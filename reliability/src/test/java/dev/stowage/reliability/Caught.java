package dev.stowage.reliability;

import dev.stowage.api.StoreException;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs code that must fail, hands the failure to {@link Evidence} and returns it for the test to check. */
final class Caught {
    /** Code that may throw anything. */
    interface Code {
        void run() throws Exception;
    }

    private Caught() {
    }

    /** The failure of {@code code}; fails the test when it does not fail. */
    static Throwable failure(Code code) {
        try {
            code.run();
        } catch (Throwable thrown) {
            Evidence.exception(thrown);
            return thrown;
        }
        throw new AssertionError("expected a failure, but the call returned normally");
    }

    /** The failure of {@code code}, which must be a {@link StoreException}. */
    static StoreException storeError(Code code) {
        Throwable thrown = failure(code);
        assertThat(thrown).as("the failure (not a StoreException: %s)", thrown).isInstanceOf(StoreException.class);
        return (StoreException) thrown;
    }

    /** Runs {@code code}; returns null when it succeeds, else its failure (recorded). */
    static Throwable outcome(Code code) {
        try {
            code.run();
            return null;
        } catch (Throwable thrown) {
            Evidence.exception(thrown);
            return thrown;
        }
    }
}
