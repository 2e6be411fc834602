package dev.stowage.api;

/** A URI is malformed or names something outside the store (rule S9). */
public class InvalidLocationException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidLocationException(String message) {
        super(ErrorCode.INVALID_LOCATION, message);
    }

    public InvalidLocationException(String message, Throwable cause) {
        super(ErrorCode.INVALID_LOCATION, message, cause);
    }
}
