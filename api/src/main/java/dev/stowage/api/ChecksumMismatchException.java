package dev.stowage.api;

/** The data did not match the expected checksum or multihash. */
public class ChecksumMismatchException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(String message) {
        super(ErrorCode.CHECKSUM_MISMATCH, message);
    }

    public ChecksumMismatchException(String message, Throwable cause) {
        super(ErrorCode.CHECKSUM_MISMATCH, message, cause);
    }
}
