package dev.stowage.api;

/** The backend refused a write for lack of permission. */
public class WriteDeniedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public WriteDeniedException(String message) {
        super(ErrorCode.WRITE_DENIED, message);
    }

    public WriteDeniedException(String message, Throwable cause) {
        super(ErrorCode.WRITE_DENIED, message, cause);
    }
}
