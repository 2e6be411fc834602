package org.example.stowage.cas;

import dev.stowage.api.Capability;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.tck.StoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.stowage.api.Capability.*;

/** The whole store contract (rules S1-S14), each test on a cas store in a fresh directory. */
class CasStoreContractTest extends StoreContract {
    @TempDir
    Path root;

    @Override
    protected Store newStore() {
        CasStoreDriver driver = new CasStoreDriver();
        return driver.create(StoreConfig.of("contract", driver.options(), Map.of("root", root.toString())));
    }

    @Override
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.of(Set.of(READ, RANGE_READ, WRITE, DELETE, ATOMIC_CREATE, ZERO_COPY_TRANSFER));
    }

    @Override
    protected List<String> leftovers(Store store) throws Exception {
        return ((CasStore) store).leftovers(); // files under tmp/ and content no image links to
    }
}
