package dev.stowage.api;

import static java.util.Objects.requireNonNull;

/** The store does not declare the capability the operation needs (rule S11). */
public class OperationNotSupportedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final Capability capability;

    public OperationNotSupportedException(Capability capability, String message) {
        super(ErrorCode.UNSUPPORTED_OPERATION, message);
        this.capability = requireNonNull(capability, "capability is null");
    }

    /** The capability the operation needed. */
    public Capability capability() {
        return capability;
    }
}
