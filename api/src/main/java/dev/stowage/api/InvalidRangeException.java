package dev.stowage.api;

/** A byte range is negative or lies outside the object (rule S6). */
public class InvalidRangeException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidRangeException(String message) {
        super(ErrorCode.INVALID_RANGE, message);
    }

    public InvalidRangeException(String message, Throwable cause) {
        super(ErrorCode.INVALID_RANGE, message, cause);
    }
}
