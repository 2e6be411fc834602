package dev.stowage.api;

/** No store of that name is configured. */
public class UnknownStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    public UnknownStoreException(String message) {
        super(ErrorCode.UNKNOWN_STORE, message);
    }

    public UnknownStoreException(String message, Throwable cause) {
        super(ErrorCode.UNKNOWN_STORE, message, cause);
    }
}
