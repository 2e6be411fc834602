package dev.stowage.samples.registry;

/** A request the registry refuses, with the HTTP status to answer. */
final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    RegistryException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    int status() {
        return status;
    }

    static RegistryException notFound(String id) {
        return new RegistryException(404, "No image with id " + id);
    }

    static RegistryException badRequest(String message) {
        return new RegistryException(400, message);
    }

    static RegistryException conflict(String message) {
        return new RegistryException(409, message);
    }
}
