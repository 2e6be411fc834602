package dev.stowage.http;

import dev.stowage.api.Capability;
import dev.stowage.api.Location;
import dev.stowage.spi.Store;
import dev.stowage.tck.StoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Optional;
import java.util.Set;

/**
 * The conformance kit against the HTTP store and a real HTTP server (Jetty, honouring Range). The kit's fixtures are
 * written into the server's directory. Rules that need writing or deleting are skipped by the kit (reported as
 * skipped, never passed) because the store does not declare WRITE or DELETE. The store holds no secret (it keeps no
 * credentials), so the kit's secret-leak checks are skipped too; credential-bearing URLs are covered by
 * {@code s9_locationWithCredentialsIsRejected} and this module's own tests.
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
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.of(Set.of(Capability.READ, Capability.RANGE_READ));
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
