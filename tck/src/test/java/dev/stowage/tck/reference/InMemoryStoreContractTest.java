package dev.stowage.tck.reference;

import dev.stowage.api.Capability;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.tck.StoreContract;
import dev.stowage.testing.InMemoryStoreDriver;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.stowage.api.Capability.ATOMIC_CREATE;
import static dev.stowage.api.Capability.DELETE;
import static dev.stowage.api.Capability.RANGE_READ;
import static dev.stowage.api.Capability.READ;
import static dev.stowage.api.Capability.WRITE;

/** The whole kit, defaults included (64 MiB large object), against the reference driver: the README's example. */
class InMemoryStoreContractTest extends StoreContract {
    private final String namespace = "reference-" + System.nanoTime();

    @Override
    protected Store newStore() {
        InMemoryStoreDriver driver = new InMemoryStoreDriver();
        return driver.create(StoreConfig.of("reference", driver.options(),
                Map.of("namespace", namespace, "access-key", "s3cr3t-Acc3ss-K3y")));
    }

    @Override
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.of(EnumSet.of(READ, RANGE_READ, WRITE, DELETE, ATOMIC_CREATE));
    }

    @Override
    protected Set<String> secrets() {
        return Set.of("s3cr3t-Acc3ss-K3y");
    }

    @Override
    protected void cleanup(Store store) {
        InMemoryStoreDriver.objects(namespace).clear();
    }
}
