package dev.stowage.http;

import dev.stowage.api.Location;
import dev.stowage.spi.Store;
import dev.stowage.tck.StoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit against the HTTP store and a real HTTP server (Jetty, honouring Range). The kit's fixtures are
 * written into the server's directory; rules that need writing or deleting are skipped by the kit because the store
 * does not declare those capabilities.
 */
class HttpStoreContractTest extends StoreContract {
    private static FileServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new FileServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected Store newStore() {
        return TestStores.store();
    }

    @Override
    protected Location putFixture(Store store, String imageId, byte[] data) {
        return store.location(server.put("tck/" + imageId, data));
    }
}
