package dev.stowage.strategy;

import dev.stowage.api.Location;
import dev.stowage.spi.LocationStrategy;
import dev.stowage.spi.StrategyContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

import static dev.stowage.strategy.Locations.at;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

class StoreTypeStrategyTest extends StrategyLaws {
    /** The scheme table of the specification, written out independently of the implementation. */
    private static final Map<String, String> TYPE_OF_SCHEME = Map.ofEntries(
            entry("file", "file"), entry("filesystem", "file"),
            entry("http", "http"), entry("https", "http"),
            entry("s3", "s3"), entry("s3+http", "s3"), entry("s3+https", "s3"),
            entry("swift", "swift"), entry("swift+http", "swift"), entry("swift+https", "swift"),
            entry("rbd", "rbd"), entry("cinder", "cinder"), entry("vsphere", "vsphere"));

    @Override
    protected LocationStrategy strategy() {
        return LocationStrategies.storeType();
    }

    @Override
    protected Comparator<Location> ranking(StrategyContext context) {
        List<String> preferred = new ArrayList<>();
        for (String name : context.storeTypePreference()) {
            String type = name.equals("vmware") ? "vsphere" : name;
            if (TYPE_OF_SCHEME.containsValue(type) && !preferred.contains(type)) {
                preferred.add(type);
            }
        }
        return Comparator.comparingInt(location -> {
            int index = preferred.indexOf(TYPE_OF_SCHEME.get(location.uri().getScheme().toLowerCase(Locale.ROOT)));
            return index < 0 ? preferred.size() : index;
        });
    }

    private static StrategyContext preferring(String... types) {
        return new StrategyContext(Map.of(), List.of(types));
    }

    @Test
    void glanceExamplePreferringFileThenHttpPutsTheFileLocationFirst() {
        Location http = at("http://images.example.com/v1/abc");
        Location file = at("file:///var/lib/glance/images/abc");

        assertThat(strategy().order(List.of(http, file), preferring("file", "http"))).containsExactly(file, http);
    }

    @Test
    void glanceExamplePreferringHttpThenFilePutsTheHttpLocationFirst() {
        Location http = at("http://images.example.com/v1/abc");
        Location file = at("file:///var/lib/glance/images/abc");

        assertThat(strategy().order(List.of(file, http), preferring("http", "file"))).containsExactly(http, file);
        assertThat(strategy().order(List.of(http, file), preferring("http", "file"))).containsExactly(http, file);
    }

    @Test
    void everySchemeOfATypeJoinsItsBucketAndBucketsKeepTheGivenOrder() {
        Location http = at("http://h/1");
        Location s3Https = at("s3+https://h/b/1");
        Location file = at("file:///1");
        Location s3 = at("s3://h/b/2");
        Location s3Http = at("s3+http://h/b/3");
        Location filesystem = at("filesystem:///2");
        Location https = at("https://h/2");
        Location swift = at("swift+https://h/c/1");

        assertThat(strategy().order(List.of(http, s3Https, file, s3, swift, s3Http, filesystem, https),
                preferring("s3", "file")))
                .containsExactly(s3Https, s3, s3Http, file, filesystem, http, swift, https);
    }

    @Test
    void rbdCinderSwiftAndVsphereAreKnownAndVmwareMeansVsphere() {
        Location vsphere = at("vsphere://vcenter/folder/1");
        Location rbd = at("rbd://fsid/pool/image/snap");
        Location cinder = at("cinder://volume-1");
        Location swift = at("swift://auth/container/1");
        Location http = at("http://h/1");

        assertThat(strategy().order(List.of(http, swift, cinder, rbd, vsphere),
                preferring("vmware", "rbd", "cinder", "swift")))
                .containsExactly(vsphere, rbd, cinder, swift, http);
    }

    @Test
    void preferenceIsTrimmedAndBlankOrRepeatedNamesNeverEmitALocationTwice() {
        Location http = at("http://h/1");
        Location file = at("file:///1");
        Location vsphere = at("vsphere://vcenter/1");

        assertThat(strategy().order(List.of(http, file, vsphere),
                preferring(" File ", "", "   ", "file", "HTTP", "vmware", "vsphere", "file")))
                .containsExactly(file, http, vsphere);
    }

    @Test
    void unknownPreferenceNamesAreIgnoredWithOneWarningEach() {
        Location http = at("http://h/1");
        Location file = at("file:///1");
        LocationStrategy strategy = strategy();

        try (LogCapture log = LogCapture.of(StoreTypeStrategy.class)) {
            assertThat(strategy.order(List.of(http, file), preferring("gopher", "htp", "file"))).containsExactly(file,
                    http);
            assertThat(strategy.order(List.of(http, file), preferring("gopher", "file"))).containsExactly(file, http);

            assertThat(log.messages(Level.WARNING)).containsExactly(
                    "Ignoring store type 'gopher' in the store type preference: not a known store type (known: file,"
                            + " http, s3, swift, rbd, cinder, vsphere)",
                    "Ignoring store type 'htp' in the store type preference: not a known store type (known: file,"
                            + " http, s3, swift, rbd, cinder, vsphere) (did you mean 'http'?)");
        }
    }

    @Test
    void withoutAKnownPreferenceTheOrderIsUnchanged() {
        List<Location> locations = List.of(at("s3://h/b/k"), at("http://h/x"), at("file:///a"));

        assertThat(strategy().order(locations, StrategyContext.empty())).containsExactlyElementsOf(locations);
        assertThat(strategy().order(locations, preferring("memory"))).containsExactlyElementsOf(locations);
    }

    @Test
    void publishesItsSchemeTable() {
        assertThat(StoreTypeStrategy.types()).containsExactly("file", "http", "s3", "swift", "rbd", "cinder",
                "vsphere");
        assertThat(StoreTypeStrategy.schemes("s3")).containsExactlyInAnyOrder("s3", "s3+http", "s3+https");
        assertThat(StoreTypeStrategy.schemes(" VMware ")).containsExactly("vsphere");
        assertThat(StoreTypeStrategy.schemes("gopher")).isEmpty();
        TYPE_OF_SCHEME.forEach((scheme, type) -> assertThat(StoreTypeStrategy.typeOf(scheme)).contains(type));
        assertThat(StoreTypeStrategy.typeOf("S3+HTTPS")).contains("s3");
        assertThat(StoreTypeStrategy.typeOf("memory")).isEmpty();
        assertThat(strategy().name()).isEqualTo("store_type");
    }
}
