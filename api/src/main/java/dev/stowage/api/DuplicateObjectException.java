package dev.stowage.api;

/** An object with this image id already exists (rule S5). */
public class DuplicateObjectException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DuplicateObjectException(String message) {
        super(ErrorCode.DUPLICATE, message);
    }

    public DuplicateObjectException(String message, Throwable cause) {
        super(ErrorCode.DUPLICATE, message, cause);
    }
}
