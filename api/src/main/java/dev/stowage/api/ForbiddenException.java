package dev.stowage.api;

/** The backend refused access to the location (for example HTTP 401/403 or S3 AccessDenied). */
public class ForbiddenException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(ErrorCode.FORBIDDEN, message);
    }

    public ForbiddenException(String message, Throwable cause) {
        super(ErrorCode.FORBIDDEN, message, cause);
    }
}
