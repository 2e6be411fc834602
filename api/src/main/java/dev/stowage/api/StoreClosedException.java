package dev.stowage.api;

/** The store or stream was used after close (rule S13). */
public class StoreClosedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreClosedException(String message) {
        super(ErrorCode.STORE_CLOSED, message);
    }

    public StoreClosedException(String message, Throwable cause) {
        super(ErrorCode.STORE_CLOSED, message, cause);
    }
}
