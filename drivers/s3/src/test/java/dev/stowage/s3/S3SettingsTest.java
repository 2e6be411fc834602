package dev.stowage.s3;

import dev.stowage.api.ConfigurationException;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Configuration of the S3 driver: typed options, errors that name the key, and no secret anywhere. */
class S3SettingsTest {
    private static final String SECRET = TestSecrets.IN_SETTINGS;
    private final S3StoreDriver driver = new S3StoreDriver();

    private StoreConfig config(Map<String, String> options) {
        return StoreConfig.parse("images", "stowage.stores.images.", driver.options(), options);
    }

    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return options;
    }

    private S3Settings settings(String... pairs) {
        return S3Settings.from(config(options(pairs)));
    }

    @Test
    void defaults() {
        S3Settings settings = settings("bucket", "images", "endpoint", "http://minio:9000");
        assertThat(settings.partSize()).isEqualTo(10L << 20);
        assertThat(settings.largeObjectThreshold()).isEqualTo(100L << 20);
        assertThat(settings.uploadConcurrency()).isEqualTo(4);
        assertThat(settings.keyPrefix()).isEmpty();
        assertThat(settings.createBucketOnPut()).isFalse();
        assertThat(settings.conditionalWrites()).isEqualTo(S3StoreDriver.ConditionalWrites.AUTO);
        assertThat(settings.accessKey()).isNull();
    }

    @Test
    void autoAddressingIsPathStyleWithAnEndpointOrAnUnsafeBucketName() {
        assertThat(settings("bucket", "images", "endpoint", "http://minio:9000").pathStyle()).isTrue();
        assertThat(settings("bucket", "images", "region", "eu-west-1").pathStyle()).isFalse();
        assertThat(settings("bucket", "my.images", "region", "eu-west-1").pathStyle()).isTrue();
        assertThat(settings("bucket", "images", "region", "eu-west-1", "addressing", "path").pathStyle()).isTrue();
        assertThat(settings("bucket", "images", "endpoint", "http://minio:9000", "addressing", "virtual-hosted")
                .pathStyle()).isFalse();
    }

    @Test
    void autoChecksumsAreWhenRequiredForS3CompatibleServers() {
        assertThat(settings("bucket", "images", "endpoint", "http://minio:9000").checksumsWhenSupported()).isFalse();
        assertThat(settings("bucket", "images", "region", "eu-west-1").checksumsWhenSupported()).isTrue();
        assertThat(settings("bucket", "images", "endpoint", "http://minio:9000", "checksum-calculation",
                "when-supported").checksumsWhenSupported()).isTrue();
    }

    @Test
    void keyPrefixGetsItsSlash() {
        assertThat(settings("bucket", "images", "key-prefix", "glance").keyPrefix()).isEqualTo("glance/");
        assertThat(settings("bucket", "images", "key-prefix", "a/b/").keyPrefix()).isEqualTo("a/b/");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "part-size|4MiB|stowage.stores.images.part-size|option 'stowage.stores.images.part-size' has invalid value"
                    + " '4MiB': must be between 5MiB and 1GiB",
            "upload-concurrency|0|stowage.stores.images.upload-concurrency|option"
                    + " 'stowage.stores.images.upload-concurrency' has invalid value '0': must be between 1 and 64",
            "large-object-threshold|6GiB|stowage.stores.images.large-object-threshold|option"
                    + " 'stowage.stores.images.large-object-threshold' has invalid value '6GiB': must be between 0 and"
                    + " 5GiB",
            "endpoint|ftp://host|stowage.stores.images.endpoint|option 'stowage.stores.images.endpoint' has invalid"
                    + " value 'ftp://host': expected an http or https URL such as https://s3.example.com",
            "addressing|sideways|stowage.stores.images.addressing|option 'stowage.stores.images.addressing' has"
                    + " invalid value 'sideways': expected one of path, virtual-hosted, auto",
            "key-prefix|a/../b|stowage.stores.images.key-prefix|option 'stowage.stores.images.key-prefix' has invalid"
                    + " value 'a/../b': must be '/'-separated segments of [A-Za-z0-9._-] (no empty, '.' or '..'"
                    + " segment), at most 512 characters",
            "conditional-writes|maybe|stowage.stores.images.conditional-writes|option"
                    + " 'stowage.stores.images.conditional-writes' has invalid value 'maybe': expected one of auto,"
                    + " true, false",
            "bukcet|x|stowage.stores.images.bukcet|unknown option 'stowage.stores.images.bukcet' (did you mean"
                    + " 'bucket'?)"})
    void badValuesNameTheKey(String option, String value, String key, String message) {
        Map<String, String> options = options("bucket", "images", "endpoint", "http://minio:9000");
        options.put(option, value);
        assertThatThrownBy(() -> S3Settings.from(config(options)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Cannot configure store images: " + message)
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo(key);
    }

    @Test
    void theBucketIsRequiredAndChecked() {
        assertThatThrownBy(() -> settings("endpoint", "http://minio:9000"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'stowage.stores.images.bucket' is required (Bucket"
                        + " that holds the objects)");
        assertThatThrownBy(() -> settings("bucket", "a"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store images: option 'stowage.stores.images.bucket' has"
                        + " invalid value 'a': must be 3-63 characters");
        assertThatThrownBy(() -> settings("bucket", "My_Bucket", "addressing", "virtual-hosted"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: bucket 'My_Bucket' cannot be addressed virtual-hosted (it"
                        + " must be lower-case letters, digits and '-'); set 'stowage.stores.images.addressing' to path"
                        + " or auto");
    }

    @Test
    void credentialsComeInPairsAndAreNeverShown() {
        assertThatThrownBy(() -> settings("bucket", "images", "access-key", "AKID"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'stowage.stores.images.secret-key' is required when"
                        + " 'stowage.stores.images.access-key' is set (give both, or neither to use the SDK's default"
                        + " credential chain)")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores.images.secret-key");
        assertThatThrownBy(() -> settings("bucket", "images", "secret-key", SECRET))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageNotContaining(SECRET)
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores.images.access-key");
        assertThatThrownBy(() -> settings("bucket", "images", "access-key", " ", "secret-key", SECRET))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'stowage.stores.images.access-key' is blank");

        StoreConfig config = config(options("bucket", "images", "access-key", "AKIDSHOWN", "secret-key", SECRET,
                "endpoint", "http://minio:9000"));
        S3Settings settings = S3Settings.from(config);
        assertThat(config.toString()).doesNotContain(SECRET).doesNotContain("AKIDSHOWN");
        assertThat(settings.toString()).doesNotContain(SECRET).doesNotContain("AKIDSHOWN");
        try (Store store = driver.create(config)) {
            assertThat(store.toString()).doesNotContain(SECRET).doesNotContain("AKIDSHOWN").contains("images");
        }
    }

    @Test
    void anEndpointWithCredentialsIsRejectedWithoutShowingThem() {
        assertThatThrownBy(() -> settings("bucket", "images", "endpoint", "https://AKID:" + SECRET + "@minio:9000"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'stowage.stores.images.endpoint' must not carry"
                        + " credentials (https://***@minio:9000); use 'stowage.stores.images.access-key' and"
                        + " 'stowage.stores.images.secret-key'");
        assertThatThrownBy(() -> settings("bucket", "images", "endpoint", "https://minio:9000/s3?x=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'stowage.stores.images.endpoint' must be"
                        + " scheme://host[:port] without path, query or fragment, not https://minio:9000/s3?x=1");
    }

    @Test
    void withoutEndpointOrRegionTheSdkRegionChainMustFindOne() {
        assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
                "the environment names an AWS region");
        Map<String, String> saved = new HashMap<>();
        for (String property : new String[]{"aws.region", "aws.disableEc2Metadata", "aws.configFile"}) {
            saved.put(property, System.getProperty(property));
        }
        try {
            System.clearProperty("aws.region");
            System.setProperty("aws.disableEc2Metadata", "true");
            System.setProperty("aws.configFile", "/nonexistent/stowage-test-aws-config");
            assertThatThrownBy(() -> driver.create(config(options("bucket", "images"))))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Cannot configure store images: option 'stowage.stores.images.region' is not set and"
                            + " the SDK found no region in its environment")
                    .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("stowage.stores.images.region");

            System.setProperty("aws.region", "eu-central-1");
            try (Store store = driver.create(config(options("bucket", "images")))) {
                assertThat(store.name()).isEqualTo("images");
            }
        } finally {
            saved.forEach((property, value) -> {
                if (value == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, value);
                }
            });
        }
    }

    @Test
    void everyOptionHasADescriptionAndOnlyCredentialsAreSecret() {
        assertThat(driver.options()).allSatisfy(option -> assertThat(option.description()).isNotBlank());
        assertThat(driver.options().stream().filter(dev.stowage.spi.Option::secret).map(dev.stowage.spi.Option::name))
                .containsExactlyInAnyOrder("access-key", "secret-key");
    }
}
