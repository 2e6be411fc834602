package dev.stowage.api;

import static java.util.Objects.requireNonNull;

/**
 * Root of every error Stowage raises (rule S10). Unchecked, with a stable {@link ErrorCode} and a
 * {@link #retryable()} flag. Messages follow {@code Cannot <verb> <location>: <reason>} and never hold a secret.
 */
public abstract class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    protected StoreException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    protected StoreException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    /** The stable code of this error. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** Whether the same call may succeed when tried again later. */
    public boolean retryable() {
        return errorCode.retryable();
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + errorCode.code() + "]: " + getMessage();
    }
}
