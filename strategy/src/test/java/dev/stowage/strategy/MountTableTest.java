package dev.stowage.strategy;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountTableTest {
    private static final MountTable TABLE = MountTable.of(Map.of("nfs-1", Path.of("/mnt/glance/")));

    private static Location file(String uri, String id, String mountpoint) {
        return Location.of(URI.create(uri), "local", Map.of("id", id, "mountpoint", mountpoint));
    }

    @Test
    void rewritesThePathFromTheStoreMountpointToTheLocalOneWhateverTheTrailingSlashes() {
        for (String storeMount : new String[] {"/export/images", "/export/images/", "/export//images/."}) {
            Location location = file("file:///export/images/ab/cd-1234", "nfs-1", storeMount);

            assertThat(TABLE.localPath(location)).as(storeMount).contains(Path.of("/mnt/glance/ab/cd-1234"));
        }
        Location dotted = file("file:///export/./images/x/../cd-1234", "nfs-1", "/export/images");
        assertThat(TABLE.localPath(dotted)).contains(Path.of("/mnt/glance/cd-1234"));
        Location filesystem = file("filesystem:///export/images/cd-1234", "nfs-1", "/export/images");
        assertThat(TABLE.localPath(filesystem)).contains(Path.of("/mnt/glance/cd-1234"));
        Location spaces = file("file:///export/images/with%20space", "nfs-1", "/export/images");
        assertThat(TABLE.localPath(spaces)).contains(Path.of("/mnt/glance/with space"));
    }

    @Test
    void noMatchForOtherSchemesUnknownIdsOrMissingMetadata() {
        assertThat(TABLE.localPath(file("http://h/export/images/a", "nfs-1", "/export/images"))).isEmpty();
        assertThat(TABLE.localPath(file("file:///export/images/a", "nfs-2", "/export/images"))).isEmpty();
        assertThat(TABLE.localPath(Location.of(URI.create("file:///export/images/a")))).isEmpty();
        assertThat(TABLE.localPath(Location.of(URI.create("file:///export/images/a"), "local",
                Map.of("id", "nfs-1")))).isEmpty();
        assertThat(MountTable.empty().localPath(file("file:///export/images/a", "nfs-1", "/export/images")))
                .isEmpty();
    }

    @Test
    void refusesAPathOutsideTheStoreMountpoint() {
        // a plain string prefix would accept this one: /export/images is not a directory prefix of /export/images2
        assertThatThrownBy(() -> TABLE.localPath(file("file:///export/images2/a", "nfs-1", "/export/images")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot access file:///export/images2/a directly: the path /export/images2/a is not"
                        + " inside the store's mountpoint /export/images");
        assertThatThrownBy(() -> TABLE.localPath(file("file:///export/images/../secrets/key", "nfs-1",
                "/export/images")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot access file:///export/images/../secrets/key directly: the path /export/secrets/key"
                        + " is not inside the store's mountpoint /export/images");
        assertThatThrownBy(() -> TABLE.localPath(file("file:///export/images/", "nfs-1", "/export/images")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("is not inside the store's mountpoint");
    }

    @Test
    void refusesOtherHostsRelativeStoreMountpointsAndQueries() {
        assertThatThrownBy(() -> TABLE.localPath(file("file://fileserver/export/images/a", "nfs-1",
                "/export/images")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot access file://fileserver/export/images/a directly: the URI names host"
                        + " 'fileserver', not this machine");
        assertThat(TABLE.localPath(file("file://localhost/export/images/a", "nfs-1", "/export/images")))
                .contains(Path.of("/mnt/glance/a"));
        assertThatThrownBy(() -> TABLE.localPath(file("file:///export/images/a", "nfs-1", "export/images")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot access file:///export/images/a directly: the store's mountpoint 'export/images'"
                        + " is not absolute");
        assertThatThrownBy(() -> TABLE.localPath(file("file:///export/images/a?x=1", "nfs-1", "/export/images")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("without query or fragment");
    }

    @Test
    void readsEntriesFromConfigurationIgnoringOtherKeys() {
        Properties properties = new Properties();
        properties.setProperty("stowage.direct.shared.id", "nfs-1");
        properties.setProperty("stowage.direct.shared.mountpoint", " /mnt/glance/ ");
        properties.setProperty("stowage.direct.ceph-fs.id", "cephfs-7");
        properties.setProperty("stowage.direct.ceph-fs.mountpoint", "/mnt/ceph");
        properties.setProperty("stowage.location-strategy", "store_type");
        properties.setProperty("stowage.stores.local.type", "file");

        MountTable table = MountTable.fromProperties(properties);

        assertThat(table.mounts()).isEqualTo(Map.of("nfs-1", Path.of("/mnt/glance"), "cephfs-7",
                Path.of("/mnt/ceph")));
        assertThat(MountTable.fromConfig(Map.of("stowage.stores.local.type", "file")).isEmpty()).isTrue();
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertConfigError(Map.of("stowage.direct.shared.id", "nfs-1", "stowage.direct.shared.mountpiont", "/mnt"),
                "stowage.direct.shared.mountpiont", "Cannot configure direct access: unknown key"
                        + " stowage.direct.shared.mountpiont (expected stowage.direct.<name>.id and"
                        + " stowage.direct.<name>.mountpoint) (did you mean 'mountpoint'?)");
        assertConfigError(Map.of("stowage.direct.id", "nfs-1"), "stowage.direct.id",
                "Cannot configure direct access: unknown key stowage.direct.id (expected stowage.direct.<name>.id and"
                        + " stowage.direct.<name>.mountpoint)");
        assertConfigError(Map.of("stowage.direct.shared.mountpoint", "/mnt"), "stowage.direct.shared.id",
                "Cannot configure direct access shared: stowage.direct.shared.id is missing or blank");
        assertConfigError(Map.of("stowage.direct.shared.id", "nfs-1", "stowage.direct.shared.mountpoint", " "),
                "stowage.direct.shared.mountpoint",
                "Cannot configure direct access shared: stowage.direct.shared.mountpoint is missing or blank");
        assertConfigError(Map.of("stowage.direct.shared.id", "nfs-1", "stowage.direct.shared.mountpoint", "mnt/x"),
                "stowage.direct.shared.mountpoint",
                "Cannot configure direct access shared: stowage.direct.shared.mountpoint='mnt/x' is not an absolute"
                        + " path");
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("stowage.direct.a.id", "nfs-1");
        twice.put("stowage.direct.a.mountpoint", "/mnt/a");
        twice.put("stowage.direct.b.id", "nfs-1");
        twice.put("stowage.direct.b.mountpoint", "/mnt/b");
        assertConfigError(twice, "stowage.direct.b.id",
                "Cannot configure direct access b: file system id 'nfs-1' is also given by stowage.direct.a.id");
    }

    private static void assertConfigError(Map<String, String> config, String key, String message) {
        assertThatThrownBy(() -> MountTable.fromConfig(config))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessage(message);
    }

    @Test
    void ofRejectsBlankIdsAndRelativeMountpoints() {
        assertThatThrownBy(() -> MountTable.of(Map.of(" ", Path.of("/mnt"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a file system id is blank");
        assertThatThrownBy(() -> MountTable.of(Map.of("nfs-1", Path.of("mnt"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mountpoint mnt of file system nfs-1 is not absolute");
    }
}
