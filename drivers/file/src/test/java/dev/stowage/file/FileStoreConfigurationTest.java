package dev.stowage.file;

import dev.stowage.api.ConfigurationException;
import dev.stowage.spi.StoreDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options, data directories and start-up checks. */
class FileStoreConfigurationTest {
    private static final String P = TestStores.PREFIX;

    @TempDir
    Path dir;

    @Test
    void theDriverIsFoundByServiceLoader() {
        List<StoreDriver> drivers = ServiceLoader.load(StoreDriver.class).stream().map(ServiceLoader.Provider::get)
                .filter(driver -> driver.type().equals("file")).toList();
        assertThat(drivers).singleElement().isInstanceOf(FileStoreDriver.class);
        assertThat(drivers.get(0).schemes()).containsExactlyInAnyOrder("file", "filesystem");
        assertThat(drivers.get(0).options()).extracting(option -> option.name()).containsExactly("datadir",
                "datadirs", "metadata-file", "id", "mountpoint", "file-perm", "chunk-size", "fsync",
                "thin-provisioning");
    }

    @Test
    void defaultsAreGlancesWithFsyncOn() {
        FileStoreSettings settings = FileStoreSettings.from(TestStores.config(Map.of("datadir", dir.toString())));
        assertThat(settings.chunkSize()).isEqualTo(65_536);
        assertThat(settings.fsync()).isTrue();
        assertThat(settings.thinProvisioning()).isFalse();
        assertThat(settings.filePerm()).isEqualTo(FileStoreSettings.UNSET);
        assertThat(settings.mounts()).isEmpty();
    }

    @Test
    void datadirAndDatadirsTogetherOrNeitherAreConfigurationErrors() {
        assertThatThrownBy(() -> TestStores.open(Map.of("datadir", dir.toString(), "datadirs", dir + ":1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: give either '" + P + "datadir' (one directory) or '" + P
                        + "datadirs' (several with priorities), not both")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(P + "datadirs"));
        assertThatThrownBy(() -> TestStores.open(Map.of("fsync", "true")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P + "datadir' (one directory) or '" + P
                        + "datadirs' (several, as path:priority) is required");
    }

    @Test
    void datadirsParsePathsAndPriorities() {
        assertThat(DataDirectory.parse("/a:200")).isEqualTo(new DataDirectory(Path.of("/a"), 200));
        assertThat(DataDirectory.parse(" /a ")).isEqualTo(new DataDirectory(Path.of("/a"), 0));
        assertThat(DataDirectory.parse("/a:-5")).isEqualTo(new DataDirectory(Path.of("/a"), -5));
        assertThat(DataDirectory.parse("/with:colon")).isEqualTo(new DataDirectory(Path.of("/with:colon"), 0));
        assertThat(DataDirectory.parse("/with:colon:7")).isEqualTo(new DataDirectory(Path.of("/with:colon"), 7));
        assertThat(DataDirectory.LIST_TYPE.parse("/a:2, /b ,")).containsExactly(
                new DataDirectory(Path.of("/a"), 2), new DataDirectory(Path.of("/b"), 0));

        assertThatThrownBy(() -> TestStores.open(Map.of("datadirs", dir + "/a:1.5")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P + "datadirs' has invalid value '" + dir
                        + "/a:1.5': priority '1.5' of '" + dir + "/a:1.5' is not a whole number");
        assertThatThrownBy(() -> TestStores.open(Map.of("datadirs", dir + "/a:")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("'" + dir + "/a:' has an empty priority after ':'");
        assertThatThrownBy(() -> TestStores.open(Map.of("datadirs", " , ")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("expected at least one path[:priority]");
    }

    @Test
    void aDirectoryNamedTwiceOrNestedIsRejected() throws Exception {
        assertThatThrownBy(() -> TestStores.open(Map.of("datadirs", dir + "/a:1," + dir + "/b/../a:2")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P + "datadirs' names directory " + dir
                        + "/a twice (" + dir + "/a:1 and " + dir + "/a:2)");
        Files.createDirectories(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
        assertThatThrownBy(() -> TestStores.open(Map.of("datadirs", dir + "/real:1," + dir + "/alias:2")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: data directories " + dir + "/real and " + dir
                        + "/alias (option '" + P + "datadirs') are the same directory " + dir.toRealPath()
                        + "/real");
        assertThatThrownBy(() -> TestStores.open(Map.of("datadirs", dir + "/outer:1," + dir + "/outer/inner:2")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: data directory " + dir.toRealPath()
                        + "/outer/inner lies inside data directory " + dir.toRealPath() + "/outer (option '" + P
                        + "datadirs'); data directories must not nest");
    }

    @Test
    void missingDirectoriesAreCreated() throws Exception {
        Path deep = dir.resolve("x/y/z");
        try (FileStore store = TestStores.open(deep)) {
            assertThat(Files.isDirectory(deep)).isTrue();
            assertThat(store.directories()).containsExactly(deep.toRealPath());
        }
    }

    @Test
    void aDataDirectoryThatIsAFileOrCannotBeCreatedIsAConfigurationError() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> TestStores.open(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: data directory " + file + " (option '" + P
                        + "datadir') exists but is not a directory");
        assertThatThrownBy(() -> TestStores.open(file.resolve("below")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: data directory " + file.resolve("below") + " (option '"
                        + P + "datadir') cannot be created: Not a directory");
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsAConfigurationErrorNotAReadOnlyStore() throws Exception {
        // Through the seam: the JDK's exception for EACCES when the start-up probe creates its temp file.
        // RealFileSystemTest checks a real read-only mount.
        FileOps denying = new FileOps() {
            @Override
            public FileChannel createNew(Path path, FileAttribute<?>... attributes) throws IOException {
                throw new AccessDeniedException(path.toString());
            }
        };
        assertThatThrownBy(() -> TestStores.open(Map.of("datadir", dir.toString()), denying))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: data directory " + dir.toRealPath() + " (option '" + P
                        + "datadir') is not writable: permission denied");
    }

    @Test
    void badOptionValuesNameTheKey() {
        assertThatThrownBy(() -> TestStores.open(dir, "chunk-size", "16"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P
                        + "chunk-size' has invalid value '16': must be between 1KiB and 64MiB");
        assertThatThrownBy(() -> TestStores.open(dir, "file-perm", "0400"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P
                        + "file-perm' has invalid value '0400': must let the owner read and write (0600 at least)");
        assertThatThrownBy(() -> TestStores.open(dir, "file-perm", "4755"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P
                        + "file-perm' has invalid value '4755': must be permission bits only (at most 0777)");
        assertThatThrownBy(() -> TestStores.open(dir, "file-perm", "0648"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option '" + P
                        + "file-perm' has invalid value '0648': expected octal permissions such as 0640");
        assertThatThrownBy(() -> TestStores.open(dir, "datadir-typo", "x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store images: unknown option '" + P + "datadir-typo'");
    }
}
