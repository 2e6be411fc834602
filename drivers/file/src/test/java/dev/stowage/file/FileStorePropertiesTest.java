package dev.stowage.file;

import dev.stowage.api.ByteRange;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.ImageIds;
import dev.stowage.api.Location;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static dev.stowage.file.TestStores.add;
import static dev.stowage.file.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/** Properties of locations and range reads, checked with QuickTheories (failures report the seed and shrink). */
class FileStorePropertiesTest {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    @TempDir
    Path dir;

    private FileStore store;
    private Path real;

    @BeforeEach
    void open() throws Exception {
        store = TestStores.open(dir, "chunk-size", "1KiB");
        real = dir.toRealPath();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Valid image ids: a letter or digit, then up to 199 characters of [A-Za-z0-9._-]. */
    private static Gen<String> validIds() {
        Gen<Integer> first = integers().between(0, 61);
        Gen<String> rest = lists().of(integers().between(0, ALPHABET.length() - 1)).ofSizeBetween(0, 199)
                .map(indices -> indices.stream().map(i -> String.valueOf(ALPHABET.charAt(i)))
                        .collect(Collectors.joining()));
        return first.zip(rest, (head, tail) -> ALPHABET.charAt(head) + tail);
    }

    @Test
    void everyValidIdMakesALocationThatRoundTrips() {
        qt().withExamples(300).forAll(validIds()).checkAssert(id -> {
            URI uri = FileStore.uri(real.resolve(id));
            Location location = store.location(uri);
            assertThat(location.uri()).isEqualTo(uri);
            assertThat(store.location(location.uri())).isEqualTo(location);
            assertThat(store.location(URI.create("filesystem" + uri.toString().substring(4)))).isEqualTo(location);
        });
    }

    @Test
    void noNameAppendedToTheDataDirectoryEscapesIt() {
        Gen<String> names = strings().betweenCodePoints(0, 0x7ff).ofLengthBetween(0, 40);
        qt().withExamples(1000).forAll(names).checkAssert(name -> {
            URI uri;
            try {
                uri = new URI("file", "", real + "/" + name, null, null);
            } catch (java.net.URISyntaxException e) {
                return; // not a URI at all: nothing to parse
            }
            try {
                Location location = store.location(uri);
                Path path = Path.of(location.uri());
                assertThat(path.getParent()).isEqualTo(real);
                assertThat(ImageIds.isValid(path.getFileName().toString())).isTrue();
            } catch (InvalidLocationException e) {
                assertThat(e.getMessage()).startsWith("Cannot use location ");
            }
        });
    }

    @Test
    void rangeReadsReturnExactlyTheRequestedBytesOrARangeError() {
        byte[] data = TestStores.bytes(3 * 1024 + 7, 11);
        Location location = add(store, "ranges", data).location();
        qt().withExamples(300).forAll(longs().between(0, data.length + 5), longs().between(-1, data.length + 5))
                .checkAssert((offset, length) -> {
                    ByteRange range = length < 0 ? ByteRange.from(offset) : ByteRange.of(offset, length);
                    long end = length < 0 ? data.length : offset + length;
                    if (offset > data.length || end > data.length) {
                        assertThatThrownBy(() -> store.get(location, range))
                                .isInstanceOf(InvalidRangeException.class)
                                .hasMessageStartingWith("Cannot read " + location.uri() + ": range " + range);
                    } else {
                        try {
                            assertThat(read(store.get(location, range)))
                                    .isEqualTo(Arrays.copyOfRange(data, Math.toIntExact(offset), Math.toIntExact(end)));
                        } catch (java.io.IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
    }
}
