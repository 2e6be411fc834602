package dev.stowage.file;

import dev.stowage.api.AddOptions;
import dev.stowage.api.InvalidImageIdException;
import dev.stowage.api.Location;
import dev.stowage.api.StorageFullException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.stowage.file.TestStores.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Glance's choice among several data directories: highest priority first; within it the most free space that fits
 * the declared size; none fits: storage full. Free space comes from the FileOps seam (one real file system here).
 */
class DirectoryChoiceTest {
    @TempDir
    Path dir;

    private final Map<Path, Long> free = new HashMap<>();
    private Path fastA;
    private Path fastB;
    private Path bulk;

    @BeforeEach
    void directories() {
        fastA = dir.resolve("fast-a");
        fastB = dir.resolve("fast-b");
        bulk = dir.resolve("bulk");
    }

    private FileStore open() {
        return TestStores.open(Map.of("datadirs", bulk + ":100," + fastA + ":200," + fastB + ":200"),
                new FileStoreAddTest.FreeSpace(free));
    }

    private String addedTo(FileStore store, String id, long declared) throws Exception {
        byte[] data = new byte[declared == Store.UNKNOWN_SIZE ? 10 : (int) declared];
        Path file = Path.of(store.add(id, new ByteArrayInputStream(data), declared, AddOptions.defaults())
                .location().uri());
        return file.getParent().getFileName().toString();
    }

    @Test
    void theHighestPriorityWithTheMostFreeSpaceWins() throws Exception {
        free.put(fastA, 1000L);
        free.put(fastB, 5000L);
        free.put(bulk, 1_000_000L);
        try (FileStore store = open()) {
            assertThat(addedTo(store, "one", 100)).isEqualTo("fast-b");
            free.put(fastA, 6000L);
            assertThat(addedTo(store, "two", 100)).isEqualTo("fast-a");
            assertThat(addedTo(store, "unknown", Store.UNKNOWN_SIZE)).isEqualTo("fast-a");
        }
    }

    @Test
    void findLooksInEveryDirectory() throws Exception {
        free.put(fastA, 1000L);
        free.put(fastB, 2000L);
        free.put(bulk, 1_000_000L);
        try (FileStore store = open()) {
            Location inB = store.add("in-b", new ByteArrayInputStream(new byte[5]), 5, AddOptions.defaults())
                    .location();
            Location inBulk = store.add("in-bulk", new ByteArrayInputStream(new byte[3000]), 3000,
                    AddOptions.defaults()).location();
            assertThat(store.find("in-b")).contains(inB);
            assertThat(store.find("in-bulk")).contains(inBulk);
            assertThat(store.find("never-added")).isEmpty();
            store.delete(inB);
            assertThat(store.find("in-b")).isEmpty();
            assertThatThrownBy(() -> store.find("../in-bulk")).isInstanceOf(InvalidImageIdException.class)
                    .hasMessageContaining("../in-bulk");
        }
    }

    @Test
    void aLowerPriorityIsUsedOnlyWhenNoHigherOneFits() throws Exception {
        free.put(fastA, 1000L);
        free.put(fastB, 2000L);
        free.put(bulk, 1_000_000L);
        try (FileStore store = open()) {
            assertThat(addedTo(store, "fits-b", 2000)).isEqualTo("fast-b");
            assertThat(addedTo(store, "too-big", 2001)).isEqualTo("bulk");
        }
    }

    @Test
    void noDirectoryFitsIsStorageFullAndNothingIsWritten() throws Exception {
        free.put(fastA, 10L);
        free.put(fastB, 20L);
        free.put(bulk, 0L);
        try (FileStore store = open()) {
            assertThatThrownBy(() -> addedTo(store, "huge", 30))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessage("Cannot add image 'huge' to store images: no data directory has room for 30 bytes: "
                            + fastA.toRealPath() + " (10 bytes free), " + fastB.toRealPath() + " (20 bytes free), "
                            + bulk.toRealPath() + " (0 bytes free)");
            free.put(fastA, 0L);
            free.put(fastB, 0L);
            assertThatThrownBy(() -> addedTo(store, "unknown", Store.UNKNOWN_SIZE))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessageStartingWith("Cannot add image 'unknown' to store images: no data directory has free"
                            + " space: ");
            assertThat(entries(fastA, fastB, bulk)).isEmpty();
        }
    }

    @Test
    void oneDirectoryTooSmallForTheDeclaredSizeFailsBeforeReadingTheData() throws Exception {
        Path only = dir.resolve("only");
        free.put(only, 100L);
        try (FileStore store = TestStores.open(Map.of("datadir", only.toString()),
                new FileStoreAddTest.FreeSpace(free))) {
            ByteArrayInputStream data = new ByteArrayInputStream(new byte[500]);
            assertThatThrownBy(() -> store.add("big", data, 500, AddOptions.defaults()))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessage("Cannot add image 'big' to store images: no data directory has room for 500 bytes: "
                            + only.toRealPath() + " (100 bytes free)");
            assertThat(data.available()).isEqualTo(500);
            assertThat(entries(only)).isEmpty();
        }
    }
}
