package dev.stowage.file;

import dev.stowage.api.Capability;
import dev.stowage.spi.Store;
import dev.stowage.tck.StoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The conformance kit (rules S1-S14) against the file store. Each test gets a fresh directory; a second
 * {@link #newStore()} in the same test (the kit's clean-up after a test that closed its store) reopens the same
 * directory. {@link #leftovers} lists temp files, which must never survive a failed add. The store declares every
 * capability and has no secrets, so the kit's only skips are the unsupported-operation checks of capabilities it has
 * and the secret-leak checks.
 */
class FileStoreContractTest extends StoreContract {
    @TempDir
    Path root;

    @Override
    protected Store newStore() {
        return TestStores.open(root.resolve("images"));
    }

    @Override
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.of(EnumSet.allOf(Capability.class));
    }

    @Override
    protected List<String> leftovers(Store store) throws Exception {
        return TestStores.temps(((FileStore) store).directories()).stream().map(Path::toString).toList();
    }
}
