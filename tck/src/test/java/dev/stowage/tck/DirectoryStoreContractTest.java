package dev.stowage.tck;

import dev.stowage.api.Capability;
import dev.stowage.spi.Store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The whole kit against a second, file-backed conforming store (8 MiB large object here; see LowMemoryTest). */
class DirectoryStoreContractTest extends StoreContract {
    private Path root;
    private DirectoryStore store;

    @Override
    protected Store newStore() throws Exception {
        if (root == null) {
            root = Files.createTempDirectory("stowage-tck-dir");
        }
        store = new DirectoryStore("tck", root);
        return store;
    }

    @Override
    protected ContractSettings settings() {
        return ContractSettings.defaults().withLargeObjectSize(8 << 20);
    }

    @Override
    protected List<String> leftovers(Store ignored) throws Exception {
        return store.temporaryFiles();
    }

    @Override
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.of(EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE, Capability.DELETE,
                Capability.ATOMIC_CREATE));
    }

    @Override
    protected void cleanup(Store ignored) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
