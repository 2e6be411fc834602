package dev.stowage.api;

/** The backend has no room for the object. */
public class StorageFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StorageFullException(String message) {
        super(ErrorCode.STORAGE_FULL, message);
    }

    public StorageFullException(String message, Throwable cause) {
        super(ErrorCode.STORAGE_FULL, message, cause);
    }
}
