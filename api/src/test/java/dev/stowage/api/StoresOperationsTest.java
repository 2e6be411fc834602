package dev.stowage.api;

import dev.stowage.testing.FaultyStoreDriver;
import dev.stowage.testing.InMemoryStoreDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Store lookup, adds, reads, sizes, deletes and parsing by location, and the life cycle. */
class StoresOperationsTest {
    private final String nsImages = TestData.namespace("images");
    private final String nsBackup = TestData.namespace("backup");
    private final String nsFaulty = TestData.namespace("faulty");
    private Stores stores;

    @BeforeEach
    void setUp() {
        stores = Stores.builder().driver(new FaultyStoreDriver()).configuration(Map.of(
                "stowage.stores.images.type", "memory", "stowage.stores.images.namespace", nsImages,
                "stowage.stores.backup.type", "memory", "stowage.stores.backup.namespace", nsBackup,
                "stowage.stores.readonly.type", "faulty", "stowage.stores.readonly.namespace", nsFaulty,
                "stowage.stores.readonly.read-only", "true",
                "stowage.default-store", "images")).build();
    }

    @AfterEach
    void tearDown() {
        stores.close();
    }

    @Test
    void storesByName() {
        assertThat(stores.storeNames()).containsExactly("backup", "images", "readonly");
        assertThat(stores.store("backup").name()).isEqualTo("backup");
        assertThat(stores.defaultStore()).isSameAs(stores.store("images"));
        assertThatThrownBy(() -> stores.store("imagse"))
                .isInstanceOf(UnknownStoreException.class)
                .hasMessage("Cannot use store 'imagse': no such store (did you mean 'images'?); configured stores: "
                        + "backup, images, readonly");
        assertThatThrownBy(() -> stores.weight("zzz"))
                .isInstanceOf(UnknownStoreException.class)
                .hasMessage("Cannot use store 'zzz': no such store; configured stores: backup, images, readonly");
    }

    @Test
    void addToTheDefaultAndToANamedStore() {
        byte[] data = TestData.bytes(100_000, 1);
        AddResult toDefault = stores.add("img-1", new ByteArrayInputStream(data), data.length);
        assertThat(toDefault.location()).isEqualTo(Location.of(URI.create("memory://" + nsImages + "/img-1"),
                "images", Map.of()));
        assertThat(toDefault.bytesWritten()).isEqualTo(data.length);
        assertThat(toDefault.multihash().algorithm()).isEqualTo(HashAlgorithm.SHA512);
        assertThat(InMemoryStoreDriver.objects(nsImages).get("img-1")).isEqualTo(data);

        AddResult named = stores.add("backup", "img-1", new ByteArrayInputStream(data), Stores.UNKNOWN_SIZE,
                AddOptions.defaults().withHashAlgorithm(HashAlgorithm.SHA256));
        assertThat(named.location().store()).isEqualTo("backup");
        assertThat(named.multihash().algorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(named.md5()).isEqualTo(toDefault.md5());
        assertThat(InMemoryStoreDriver.objects(nsBackup).get("img-1")).isEqualTo(data);
    }

    @Test
    void addToAMissingOrReadOnlyStoreFailsBeforeReading() {
        CountingInputStream data = new CountingInputStream(new ByteArrayInputStream(new byte[10]));
        assertThatThrownBy(() -> stores.add("bakup", "img-1", data, 10))
                .isInstanceOf(UnknownStoreException.class)
                .hasMessage("Cannot add image 'img-1' to store 'bakup': no such store (did you mean 'backup'?); "
                        + "configured stores: backup, images, readonly");
        assertThatThrownBy(() -> stores.add("readonly", "img-1", data, 10))
                .isInstanceOf(OperationNotSupportedException.class)
                .hasMessage("Cannot add image 'img-1' to store readonly: the store (type faulty) does not support "
                        + "WRITE")
                .extracting(e -> ((OperationNotSupportedException) e).capability()).isEqualTo(Capability.WRITE);
        assertThat(data.count()).isZero();
    }

    @Test
    void getSizeAndDeleteGoToTheStoreTheLocationNames() {
        byte[] data = TestData.bytes(5000, 2);
        Location location = stores.add("backup", "img-2", new ByteArrayInputStream(data), data.length).location();
        assertThat(TestData.readAll(stores.get(location))).isEqualTo(data);
        assertThat(TestData.readAll(stores.get(location, ByteRange.of(10, 20))))
                .isEqualTo(Arrays.copyOfRange(data, 10, 30));
        assertThat(TestData.readAll(stores.get(location, ByteRange.from(4990))))
                .isEqualTo(Arrays.copyOfRange(data, 4990, 5000));
        assertThat(stores.size(location)).isEqualTo(5000);
        stores.delete(location);
        assertThat(InMemoryStoreDriver.objects(nsBackup)).doesNotContainKey("img-2");
        assertThatThrownBy(() -> stores.size(location))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("Cannot read memory://" + nsBackup + "/img-2: no such object");
    }

    @Test
    void aLocationNamingAnUnconfiguredStoreFails() {
        Location location = Location.of(URI.create("memory://x/img"), "imgs", Map.of());
        assertThatThrownBy(() -> stores.get(location))
                .isInstanceOf(UnknownStoreException.class)
                .hasMessage("Cannot read memory://x/img: it names store 'imgs', which is not configured (did you mean "
                        + "'images'?); configured stores: backup, images, readonly");
        assertThatThrownBy(() -> stores.delete(location))
                .isInstanceOf(UnknownStoreException.class)
                .hasMessageStartingWith("Cannot delete memory://x/img: it names store 'imgs'");
    }

    @Test
    void anUnboundLocationGoesByItsSchemeWhenExactlyOneStoreHasIt() {
        TestData.put(nsFaulty, "img-3", new byte[]{1, 2, 3});
        Location unbound = Location.of(URI.create("faulty://" + nsFaulty + "/img-3"));
        assertThat(stores.size(unbound)).isEqualTo(3);
        assertThat(TestData.readAll(stores.get(unbound))).containsExactly(1, 2, 3);
        assertThat(stores.storeFor(unbound).name()).isEqualTo("readonly");
        Location parsed = stores.location(URI.create("faulty://" + nsFaulty + "/img-3"));
        assertThat(parsed).isEqualTo(Location.of(unbound.uri(), "readonly", Map.of()));
    }

    @Test
    void anUnboundLocationOfASchemeSeveralStoresHaveGoesToTheOneStoreThatAcceptsIt() {
        TestData.put(nsImages, "img", new byte[]{4, 5});
        Location unbound = Location.of(URI.create("memory://" + nsImages + "/img"));
        assertThat(stores.storeFor(unbound).name()).isEqualTo("images");
        assertThat(TestData.readAll(stores.get(unbound))).containsExactly(4, 5);
        assertThat(stores.location(unbound.uri())).isEqualTo(Location.of(unbound.uri(), "images", Map.of()));
        assertThatThrownBy(() -> stores.location(URI.create("memory://other-ns/img")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location memory://other-ns/img: none of the stores handling scheme 'memory' "
                        + "(backup, images) accepts it (backup: Cannot use location memory://other-ns/img: expected "
                        + "memory://" + nsBackup + "/<image id>; images: Cannot use location memory://other-ns/img: "
                        + "expected memory://" + nsImages + "/<image id>)");
        Location bound = stores.location("images", unbound.uri());
        assertThat(bound.store()).isEqualTo("images");
        assertThatThrownBy(() -> stores.location("images", URI.create("memory://other-ns/img")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location memory://other-ns/img: expected memory://" + nsImages
                        + "/<image id>");
    }

    @Test
    void anUnboundLocationThatSeveralStoresAcceptMustBeBound() {
        String shared = TestData.namespace("shared");
        try (Stores twins = Stores.builder().configuration(Map.of(
                "stowage.stores.one.type", "memory", "stowage.stores.one.namespace", shared,
                "stowage.stores.two.type", "memory", "stowage.stores.two.namespace", shared,
                "stowage.default-store", "one")).build()) {
            Location unbound = Location.of(URI.create("memory://" + shared + "/img"));
            assertThatThrownBy(() -> twins.get(unbound))
                    .isInstanceOf(InvalidLocationException.class)
                    .hasMessage("Cannot use location memory://" + shared + "/img: it names no store and stores one, "
                            + "two all accept it; bind the location to one of them "
                            + "(Location.withStore(name) or Stores.location(store, uri))");
            assertThat(twins.location("two", unbound.uri()).store()).isEqualTo("two");
        }
    }

    @Test
    void aSchemeNoStoreHasIsUnknown() {
        assertThatThrownBy(() -> stores.get(Location.of(URI.create("memmory://x/y"))))
                .isInstanceOf(UnknownSchemeException.class)
                .hasMessage("Cannot use location memmory://x/y: no configured store handles scheme 'memmory' (did you "
                        + "mean 'memory'?); the stores handle: faulty, memory");
        assertThatThrownBy(() -> stores.location(URI.create("s3://user:secret@host/bucket/key")))
                .isInstanceOf(UnknownSchemeException.class)
                .hasMessage("Cannot use location s3://***@host/bucket/key: no configured store handles scheme 's3'; "
                        + "the stores handle: faulty, memory")
                .message().doesNotContain("secret");
        assertThatThrownBy(() -> stores.location(URI.create("relative/path")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location relative/path: the URI has no scheme");
    }

    @Test
    void closeClosesEveryStoreOnceAndLaterUseFails() {
        String ns = TestData.namespace("close");
        Stores local = Stores.builder().driver(new FaultyStoreDriver()).configuration(Map.of(
                "stowage.stores.a.type", "faulty", "stowage.stores.a.namespace", ns)).build();
        local.close();
        local.close();
        assertThat(local.isClosed()).isTrue();
        assertThat(FaultyStoreDriver.created(ns)).singleElement()
                .satisfies(store -> assertThat(store.isClosed()).isTrue());
        assertThatThrownBy(() -> local.store("a"))
                .isInstanceOf(StoreClosedException.class)
                .hasMessage("Cannot use stores a: they are closed");
        InputStream data = new ByteArrayInputStream(new byte[1]);
        assertThatThrownBy(() -> local.add("x", data, 1))
                .isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> local.get(Location.of(URI.create("faulty://" + ns + "/x"))))
                .isInstanceOf(StoreClosedException.class);
        assertThat(local.toString()).contains("closed");
    }

    @Test
    void closeClosesTheOthersWhenSomeFailAndReportsEachFailure() {
        String ns = TestData.namespace("close-fail");
        Map<String, String> config = new HashMap<>();
        for (String name : new String[]{"a", "b", "c"}) {
            config.put("stowage.stores." + name + ".type", "faulty");
            config.put("stowage.stores." + name + ".namespace", ns);
        }
        config.put("stowage.stores.a.fail-close", "true");
        config.put("stowage.stores.c.fail-close", "true");
        config.put("stowage.default-store", "b");
        Stores local = Stores.builder().driver(new FaultyStoreDriver()).configuration(config).build();
        assertThatThrownBy(local::close)
                .isInstanceOf(StoreIOException.class)
                .hasMessage("Cannot close stores c, a: see the suppressed exceptions")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly(
                        "Cannot close store c: injected failure", "Cannot close store a: injected failure"));
        assertThat(FaultyStoreDriver.created(ns)).hasSize(3).allMatch(FaultyStoreDriver.FaultyStore::isClosed);
        local.close(); // idempotent: no second report
    }
}
