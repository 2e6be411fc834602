package dev.stowage.api;

/** A remote server redirected more often than allowed, or in a loop. */
public class TooManyRedirectsException extends StoreException {
    private static final long serialVersionUID = 1L;

    public TooManyRedirectsException(String message) {
        super(ErrorCode.TOO_MANY_REDIRECTS, message);
    }

    public TooManyRedirectsException(String message, Throwable cause) {
        super(ErrorCode.TOO_MANY_REDIRECTS, message, cause);
    }
}
