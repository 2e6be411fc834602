package dev.stowage.api;

/** No configured store or driver handles the URI scheme (rule S9). */
public class UnknownSchemeException extends StoreException {
    private static final long serialVersionUID = 1L;

    public UnknownSchemeException(String message) {
        super(ErrorCode.UNKNOWN_SCHEME, message);
    }

    public UnknownSchemeException(String message, Throwable cause) {
        super(ErrorCode.UNKNOWN_SCHEME, message, cause);
    }
}
