package dev.stowage.api;

/** The data was shorter or longer than the declared size (rule S3). */
public class SizeMismatchException extends StoreException {
    private static final long serialVersionUID = 1L;

    public SizeMismatchException(String message) {
        super(ErrorCode.SIZE_MISMATCH, message);
    }

    public SizeMismatchException(String message, Throwable cause) {
        super(ErrorCode.SIZE_MISMATCH, message, cause);
    }
}
