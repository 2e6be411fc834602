package dev.stowage.tck;

import dev.stowage.api.Location;
import dev.stowage.spi.Store;

import java.util.List;

/**
 * The store contract (rules S1-S14) as an abstract JUnit 5 class. Extend it with one test class per driver and
 * implement {@link #newStore()}. Tests are named by rule (e.g. {@code s5_duplicateAddFailsAndKeepsExisting}).
 *
 * <p>Hooks (stable; the kit's own tests and every driver in this project use exactly these):
 * <ul>
 *   <li>{@link #newStore()}: a fresh, empty store for one test (required);</li>
 *   <li>{@link #settings()}: limits (largest object to try, chunk size, threads) and declared known deviations;</li>
 *   <li>{@link #putFixture(Store, String, byte[])}: places an object for read tests; read-only stores override it to
 *       put the bytes where the store can read them (e.g. on the HTTP server);</li>
 *   <li>{@link #leftovers(Store)}: what a failed add may have left behind in the backend (temp files, in-progress
 *       multipart uploads); the kit asserts it is empty after every failed add (rule S4);</li>
 *   <li>{@link #cleanup(Store)}: runs after each test.</li>
 * </ul>
 */
public abstract class StoreContract {

    /** A fresh, empty store for one test. The kit closes it. */
    protected abstract Store newStore() throws Exception;

    /** Limits and declared deviations; override to change the defaults. */
    protected ContractSettings settings() {
        return ContractSettings.defaults();
    }

    /**
     * Places {@code data} under {@code imageId} so that {@code store} can read it, and returns its location. The default
     * adds it through the store; read-only stores override this.
     */
    protected Location putFixture(Store store, String imageId, byte[] data) throws Exception {
        return store.add(imageId, new java.io.ByteArrayInputStream(data), data.length,
                dev.stowage.api.AddOptions.defaults()).location();
    }

    /** Leftovers of failed adds in the backend (temp files, open multipart uploads): must be empty (rule S4). */
    protected List<String> leftovers(Store store) throws Exception {
        return List.of();
    }

    /** Runs after each test with the test's store (already closed or not). */
    protected void cleanup(Store store) throws Exception {
    }
}
