package dev.stowage.api;

/** A driver provider could not be loaded, or two providers claim the same name. */
public class DriverLoadException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DriverLoadException(String message) {
        super(ErrorCode.DRIVER_LOAD_FAILURE, message);
    }

    public DriverLoadException(String message, Throwable cause) {
        super(ErrorCode.DRIVER_LOAD_FAILURE, message, cause);
    }
}
