package dev.stowage.api;

/**
 * Stable error codes of rule S10. The {@link #code()} strings are part of the public contract: tools, logs and
 * the conformance kit match on them, so they never change once released.
 */
public enum ErrorCode {
    NOT_FOUND("not-found", false),
    DUPLICATE("duplicate", false),
    SIZE_MISMATCH("size-mismatch", false),
    CHECKSUM_MISMATCH("checksum-mismatch", false),
    STORAGE_FULL("storage-full", false),
    WRITE_DENIED("write-denied", false),
    FORBIDDEN("forbidden", false),
    UNKNOWN_SCHEME("unknown-scheme", false),
    INVALID_LOCATION("invalid-location", false),
    INVALID_IMAGE_ID("invalid-image-id", false),
    INVALID_RANGE("invalid-range", false),
    UNSUPPORTED_OPERATION("unsupported-operation", false),
    BAD_CONFIGURATION("bad-configuration", false),
    DRIVER_LOAD_FAILURE("driver-load-failure", false),
    UNKNOWN_STORE("unknown-store", false),
    TOO_MANY_REDIRECTS("too-many-redirects", false),
    SERVICE_UNAVAILABLE("service-unavailable", true),
    TIMEOUT("timeout", true),
    IO_ERROR("io-error", true),
    STORE_CLOSED("store-closed", false),
    ADD_FAILED("add-failed", false),
    ALL_LOCATIONS_FAILED("all-locations-failed", false);

    private final String code;
    private final boolean retryable;

    ErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    /** The stable, lower-case code, e.g. {@code not-found}. */
    public String code() {
        return code;
    }

    /** Whether an error of this kind is usually worth retrying. */
    public boolean retryable() {
        return retryable;
    }
}
