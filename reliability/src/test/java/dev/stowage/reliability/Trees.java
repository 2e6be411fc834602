package dev.stowage.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Walks a store's root after a fault: what is left there, and is it what should be. */
final class Trees {
    /** The prefix of the file store's temp files. */
    static final String TEMP_PREFIX = ".stowage-tmp-";

    private Trees() {
    }

    /** Every regular file and symbolic link under {@code root}, by path relative to it. */
    static List<String> files(Path root) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                            || Files.isSymbolicLink(path))
                    .forEach(path -> found.add(root.relativize(path).toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(null);
        return found;
    }

    /** The temp files left under {@code root}. */
    static List<String> temps(Path root) {
        return files(root).stream().filter(name -> Path.of(name).getFileName().toString().startsWith(TEMP_PREFIX))
                .toList();
    }

    /**
     * Checks that {@code directory} holds exactly the objects of {@code expected} (file name to SHA-512), each with
     * its bytes intact, and nothing else: no temp file, no partial object. Every file too many counts as an orphan
     * in {@code tally}.
     */
    static void assertExactly(Tally tally, Path directory, Map<String, String> expected) {
        List<String> present = files(directory);
        List<String> extra = new ArrayList<>(present);
        extra.removeAll(expected.keySet());
        tally.add(Tally.ORPHANS, extra.size());
        assertThat(extra).as("files in %s that no add produced (temp files, partial objects)", directory).isEmpty();
        assertThat(present).as("objects in %s", directory).containsExactlyInAnyOrderElementsOf(expected.keySet());
        Map<String, String> actual = new TreeMap<>();
        for (String name : present) {
            try {
                actual.put(name, Bytes.sha512(Files.readAllBytes(directory.resolve(name))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(actual).as("SHA-512 of the objects in %s", directory).isEqualTo(new TreeMap<>(expected));
    }
}
