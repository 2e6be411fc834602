package dev.stowage.api;

/** What a fan-out add ({@link Stores#addAll}) does when some stores fail. */
public enum FanOutMode {
    /**
     * Every store must succeed. On the first failure the other stores' adds are cancelled, every copy already written
     * is deleted, and {@link AddFailedException} names each store that failed and why.
     */
    ALL_MUST_SUCCEED,
    /**
     * Keep the copies that succeeded. The {@link FanOutResult} says which stores failed and why; only when every store
     * failed is {@link AddFailedException} thrown.
     */
    BEST_EFFORT
}
