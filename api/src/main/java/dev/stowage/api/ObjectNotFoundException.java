package dev.stowage.api;

/** No object at the location (rule S7). */
public class ObjectNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message);
    }

    public ObjectNotFoundException(String message, Throwable cause) {
        super(ErrorCode.NOT_FOUND, message, cause);
    }
}
