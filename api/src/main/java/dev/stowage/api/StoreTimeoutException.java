package dev.stowage.api;

/** The backend did not answer in time; retryable. */
public class StoreTimeoutException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreTimeoutException(String message) {
        super(ErrorCode.TIMEOUT, message);
    }

    public StoreTimeoutException(String message, Throwable cause) {
        super(ErrorCode.TIMEOUT, message, cause);
    }
}
