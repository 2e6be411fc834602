package dev.stowage.api;

/** An image id is empty, too long, or holds characters that could escape the store (rule S9). */
public class InvalidImageIdException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidImageIdException(String message) {
        super(ErrorCode.INVALID_IMAGE_ID, message);
    }

    public InvalidImageIdException(String message, Throwable cause) {
        super(ErrorCode.INVALID_IMAGE_ID, message, cause);
    }
}
