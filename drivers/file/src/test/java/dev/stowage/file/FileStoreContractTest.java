package dev.stowage.file;

import dev.stowage.spi.Store;
import dev.stowage.tck.StoreContract;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance kit (rules S1-S14) against the file store: every test gets a store over a fresh directory. The store
 * declares every capability, so the kit skips nothing for it; {@link #leftovers} lists temp files, which must never
 * survive a failed add.
 */
class FileStoreContractTest extends StoreContract {
    private final Map<Store, Path> roots = new ConcurrentHashMap<>();

    @Override
    protected Store newStore() throws Exception {
        Path root = Files.createTempDirectory("stowage-file-contract-");
        FileStore store = TestStores.open(root.resolve("images"));
        roots.put(store, root);
        return store;
    }

    @Override
    protected List<String> leftovers(Store store) throws Exception {
        return TestStores.temps(((FileStore) store).directories()).stream().map(Path::toString).toList();
    }

    @Override
    protected void cleanup(Store store) throws Exception {
        store.close();
        Path root = roots.remove(store);
        if (root != null) {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
