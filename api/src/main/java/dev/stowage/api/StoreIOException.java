package dev.stowage.api;

/** An I/O failure talking to the backend that no more specific error describes; retryable. */
public class StoreIOException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreIOException(String message) {
        super(ErrorCode.IO_ERROR, message);
    }

    public StoreIOException(String message, Throwable cause) {
        super(ErrorCode.IO_ERROR, message, cause);
    }
}
