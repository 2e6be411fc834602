package dev.stowage.api;

/** The backend is unreachable or answered with a server error; retryable. */
public class ServiceUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(String message) {
        super(ErrorCode.SERVICE_UNAVAILABLE, message);
    }

    public ServiceUnavailableException(String message, Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, message, cause);
    }
}
