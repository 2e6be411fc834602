package dev.stowage.api;

import java.util.Optional;

/**
 * An object with this image id already exists (rule S5). A store that knows where the existing object is says so in
 * {@link #existing()}: a registry that finds data left by an upload cut off by a crash can remove it.
 */
public class DuplicateObjectException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Location existing;

    public DuplicateObjectException(String message) {
        this(message, null, null);
    }

    public DuplicateObjectException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** @param existing the location of the object that exists, or null when the store cannot tell */
    public DuplicateObjectException(String message, Location existing, Throwable cause) {
        super(ErrorCode.DUPLICATE, message, cause);
        this.existing = existing;
    }

    /** The location of the object that already exists, when the store knows it. */
    public Optional<Location> existing() {
        return Optional.ofNullable(existing);
    }
}
