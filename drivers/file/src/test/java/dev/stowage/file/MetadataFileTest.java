package dev.stowage.file;

import dev.stowage.api.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.stowage.file.TestStores.add;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Location metadata (rule S14) from glance's metadata file or from the id and mountpoint options. */
class MetadataFileTest {
    private static final String P = TestStores.PREFIX;

    @TempDir
    Path dir;

    private FileStore openWith(Path datadir, String json) throws Exception {
        Path file = Files.writeString(dir.resolve("metadata.json"), json);
        return TestStores.open(Map.of("datadir", datadir.toString(), "metadata-file", file.toString()));
    }

    private String real(String relative) throws Exception {
        return dir.toRealPath().resolve(relative).toString();
    }

    @Test
    void anObjectIsStampedOnEveryLocation() throws Exception {
        Path images = Files.createDirectories(dir.resolve("nfs/images"));
        try (FileStore store = openWith(images, "{\"id\": \"nfs-1\", \"mountpoint\": \"" + dir.resolve("nfs") + "/\"}")) {
            Map<String, String> expected = Map.of("id", "nfs-1", "mountpoint", real("nfs"));
            assertThat(store.metadata()).isEqualTo(expected);
            assertThat(add(store, "a", new byte[] {1}).location().metadata()).isEqualTo(expected);
            assertThat(store.location(FileStore.uri(images.toRealPath().resolve("b"))).metadata())
                    .isEqualTo(expected);
        }
    }

    @Test
    void inAListTheDeepestMountpointThatContainsTheDirectoryWinsComparedAsPaths() throws Exception {
        Path images = Files.createDirectories(dir.resolve("mnt/nfs/images"));
        Files.createDirectories(dir.resolve("mnt/nfs2"));
        String json = "[{\"id\": \"prefix-trap\", \"mountpoint\": \"" + dir.resolve("mnt/nf") + "\"},"
                + " {\"id\": \"sibling\", \"mountpoint\": \"" + dir.resolve("mnt/nfs2") + "\"},"
                + " {\"id\": \"outer\", \"mountpoint\": \"" + dir.resolve("mnt") + "\"},"
                + " {\"id\": \"inner\", \"mountpoint\": \"" + dir.resolve("mnt/nfs") + "\"}]";
        try (FileStore store = openWith(images, json)) {
            assertThat(store.metadata()).isEqualTo(Map.of("id", "inner", "mountpoint", real("mnt/nfs")));
        }
    }

    @Test
    void theOptionsGiveTheSameMetadata() throws Exception {
        Path images = Files.createDirectories(dir.resolve("share/images"));
        try (FileStore store = TestStores.open(images, "id", "share-7", "mountpoint", dir.resolve("share").toString())) {
            assertThat(add(store, "x", new byte[] {1}).location().metadata())
                    .isEqualTo(Map.of("id", "share-7", "mountpoint", real("share")));
        }
        assertThatThrownBy(() -> TestStores.open(images, "id", "share-7"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P + "mountpoint' is required when '" + P
                        + "id' is set (location metadata needs both)");
        Path file = Files.writeString(dir.resolve("m.json"), "{}");
        assertThatThrownBy(() -> TestStores.open(images, "id", "x", "metadata-file", file.toString()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: give either '" + P + "metadata-file' or '" + P
                        + "id' with '" + P + "mountpoint', not both ('" + P + "id' is set too)");
    }

    @Test
    void withoutMetadataLocationsCarryNone() throws Exception {
        try (FileStore store = TestStores.open(dir.resolve("plain"))) {
            assertThat(store.metadata()).isEmpty();
            assertThat(add(store, "x", new byte[] {1}).location().metadata()).isEmpty();
        }
    }

    @Test
    void aDataDirectoryUnderNoMountpointIsAConfigurationError() throws Exception {
        Path images = Files.createDirectories(dir.resolve("local/images"));
        assertThatThrownBy(() -> openWith(images, "{\"id\": \"nfs\", \"mountpoint\": \"/mnt/elsewhere\"}"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: data directory " + images.toRealPath()
                        + " is under none of the mountpoints given by '" + P
                        + "metadata-file' (/mnt/elsewhere); locations would lack their file system id");
    }

    @Test
    void badMetadataFilesAreConfigurationErrorsNamingTheFileAndTheProblem() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path file = dir.resolve("metadata.json");
        String start = "Cannot configure store images: option '" + P + "metadata-file': metadata file " + file;
        assertBad(images, "{\"id\": \"x\", \"mountpoint\": ", start + " is not valid JSON at line 1, column 27:"
                + " Unexpected end-of-input within/between Object entries");
        assertBad(images, "{\"id\": \"x\",\n \"mountpoint\": \"/a\",}",
                start + " is not valid JSON at line 2, column 21: Unexpected character ('}' (code 125)): was"
                        + " expecting double-quote to start field name");
        assertBad(images, "{\"id\": \"a\", \"id\": \"b\", \"mountpoint\": \"/\"}",
                start + " is not valid JSON at line 1, column 17: Duplicate field 'id'");
        assertBad(images, "{\"id\": \"a\", \"mountpoint\": \"/\"} []",
                start + " is not valid JSON at line 1, column 32: more follows the end of the JSON value");
        assertBad(images, "", start + " is empty; expected a JSON object {\"id\": ..., \"mountpoint\": ...} or a list"
                + " of them");
        assertBad(images, "\"just text\"", start + " holds a JSON string; expected an object {\"id\": ...,"
                + " \"mountpoint\": ...} or a list of them");
        assertBad(images, "[]", start + " holds an empty list; expected at least one {\"id\": ..., \"mountpoint\":"
                + " ...}");
        assertBad(images, "{\"mountpoint\": \"/\"}", start + ", the top-level object: \"id\" is missing");
        assertBad(images, "[{\"id\": \"a\", \"mountpoint\": \"/\"}, {\"id\": 7, \"mountpoint\": \"/\"}]",
                start + ", entry 1: \"id\" must be a string, found a JSON number");
        assertBad(images, "[{\"id\": \"a\", \"mountpoint\": \"relative/dir\"}]",
                start + ", entry 0: \"mountpoint\" \"relative/dir\" is not an absolute path");
        assertBad(images, "[{\"id\": \" \", \"mountpoint\": \"/\"}]", start + ", entry 0: \"id\" is blank");
        assertBad(images, "[[]]", start + ", entry 0: expected an object {\"id\": ..., \"mountpoint\": ...}, found"
                + " a JSON list");
        assertBad(images, "{\"id\": \"a\", \"mountpoint\": \"/\", \"share\": \"x\"}",
                start + ", the top-level object: unknown key \"share\" (only \"id\" and \"mountpoint\" are allowed)");

        Files.delete(file);
        assertThatThrownBy(() -> TestStores.open(Map.of("datadir", images.toString(), "metadata-file",
                file.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(start + " does not exist");
    }

    private void assertBad(Path images, String json, String message) {
        assertThatThrownBy(() -> openWith(images, json))
                .as(json)
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(P + "metadata-file"));
    }
}
