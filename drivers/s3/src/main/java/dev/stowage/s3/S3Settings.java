package dev.stowage.s3;

import dev.stowage.api.ConfigurationException;
import dev.stowage.s3.S3StoreDriver.Addressing;
import dev.stowage.s3.S3StoreDriver.ChecksumCalculation;
import dev.stowage.s3.S3StoreDriver.ConditionalWrites;
import dev.stowage.spi.StoreConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static dev.stowage.s3.S3StoreDriver.ACCESS_KEY;
import static dev.stowage.s3.S3StoreDriver.ADDRESSING;
import static dev.stowage.s3.S3StoreDriver.BUCKET;
import static dev.stowage.s3.S3StoreDriver.CHECKSUM_CALCULATION;
import static dev.stowage.s3.S3StoreDriver.CONDITIONAL_WRITES;
import static dev.stowage.s3.S3StoreDriver.CONNECT_TIMEOUT;
import static dev.stowage.s3.S3StoreDriver.CREATE_BUCKET_ON_PUT;
import static dev.stowage.s3.S3StoreDriver.ENDPOINT;
import static dev.stowage.s3.S3StoreDriver.KEY_PREFIX;
import static dev.stowage.s3.S3StoreDriver.LARGE_OBJECT_THRESHOLD;
import static dev.stowage.s3.S3StoreDriver.PART_SIZE;
import static dev.stowage.s3.S3StoreDriver.REGION;
import static dev.stowage.s3.S3StoreDriver.SECRET_KEY;
import static dev.stowage.s3.S3StoreDriver.SOCKET_TIMEOUT;
import static dev.stowage.s3.S3StoreDriver.UPLOAD_CONCURRENCY;
import static java.util.Objects.requireNonNull;

/**
 * The validated configuration of one S3 store. {@code toString()} never shows the credentials.
 *
 * @param endpoint   the endpoint, or null for AWS
 * @param region     the signing region, or null to ask the SDK's region chain
 * @param keyPrefix  empty or ending with {@code /}
 * @param accessKey  null when the SDK's default credential chain is used
 * @param secretKey  null when the SDK's default credential chain is used
 * @param configPrefix the prefix of this store's configuration keys (e.g. {@code stowage.stores.images.}), for
 *                     messages
 */
record S3Settings(String storeName, URI endpoint, String region, String bucket, String keyPrefix, boolean pathStyle,
                  boolean createBucketOnPut, String accessKey, String secretKey, long largeObjectThreshold,
                  long partSize, int uploadConcurrency, ConditionalWrites conditionalWrites, boolean checksumsWhenSupported,
                  Duration connectTimeout, Duration socketTimeout, String configPrefix) {

    S3Settings {
        requireNonNull(storeName, "storeName is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(keyPrefix, "keyPrefix is null");
        requireNonNull(conditionalWrites, "conditionalWrites is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(socketTimeout, "socketTimeout is null");
        requireNonNull(configPrefix, "configPrefix is null");
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("access key and secret key go together");
        }
    }

    static S3Settings from(StoreConfig config) {
        String store = config.storeName();
        URI endpoint = config.find(ENDPOINT).orElse(null);
        if (endpoint != null) {
            // a secret holding '/' makes URI see a path instead of user info: any '@' means credentials
            if (endpoint.getRawUserInfo() != null || endpoint.toString().indexOf('@') >= 0) {
                throw new ConfigurationException(config.key(ENDPOINT), "Cannot configure store " + store
                        + ": option '" + config.key(ENDPOINT) + "' must not carry credentials (" + S3Locations.redact(endpoint)
                        + "); use '" + config.key(ACCESS_KEY) + "' and '" + config.key(SECRET_KEY) + "'");
            }
            if (endpoint.getHost() == null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                    || (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty()
                    && !endpoint.getRawPath().equals("/"))) {
                throw new ConfigurationException(config.key(ENDPOINT), "Cannot configure store " + store
                        + ": option '" + config.key(ENDPOINT) + "' must be scheme://host[:port] without path, query"
                        + " or fragment, not " + S3Locations.redact(endpoint));
            }
        }
        String bucket = config.get(BUCKET);
        Addressing addressing = config.get(ADDRESSING);
        boolean pathStyle = switch (addressing) {
            case PATH -> true;
            case VIRTUAL_HOSTED -> false;
            case AUTO -> endpoint != null || !S3StoreDriver.isDnsSafeBucket(bucket);
        };
        if (!pathStyle && !S3StoreDriver.isDnsSafeBucket(bucket)) {
            throw new ConfigurationException(config.key(ADDRESSING), "Cannot configure store " + store + ": bucket '"
                    + bucket + "' cannot be addressed virtual-hosted (it must be lower-case letters, digits and '-');"
                    + " set '" + config.key(ADDRESSING) + "' to path or auto");
        }
        Optional<String> accessKey = config.find(ACCESS_KEY);
        Optional<String> secretKey = config.find(SECRET_KEY);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            String missing = accessKey.isPresent() ? config.key(SECRET_KEY) : config.key(ACCESS_KEY);
            String given = accessKey.isPresent() ? config.key(ACCESS_KEY) : config.key(SECRET_KEY);
            throw new ConfigurationException(missing, "Cannot configure store " + store + ": option '" + missing
                    + "' is required when '" + given + "' is set (give both, or neither to use the SDK's default"
                    + " credential chain)");
        }
        if (accessKey.isPresent() && (accessKey.get().isBlank() || secretKey.get().isBlank())) {
            String blank = accessKey.get().isBlank() ? config.key(ACCESS_KEY) : config.key(SECRET_KEY);
            throw new ConfigurationException(blank, "Cannot configure store " + store + ": option '" + blank
                    + "' is blank");
        }
        String prefix = config.get(KEY_PREFIX);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        boolean whenSupported = switch (config.get(CHECKSUM_CALCULATION)) {
            case WHEN_SUPPORTED -> true;
            case WHEN_REQUIRED -> false;
            case AUTO -> endpoint == null;
        };
        return new S3Settings(store, endpoint, config.find(REGION).orElse(null), bucket, prefix, pathStyle,
                config.get(CREATE_BUCKET_ON_PUT), accessKey.orElse(null), secretKey.orElse(null),
                config.get(LARGE_OBJECT_THRESHOLD), config.get(PART_SIZE), config.get(UPLOAD_CONCURRENCY),
                config.get(CONDITIONAL_WRITES), whenSupported, config.get(CONNECT_TIMEOUT), config.get(SOCKET_TIMEOUT),
                config.key(BUCKET).substring(0, config.key(BUCKET).length() - BUCKET.name().length()));
    }

    /** The full configuration key of an option of this store, for messages. */
    String key(dev.stowage.spi.Option<?> option) {
        return configPrefix + option.name();
    }

    @Override
    public String toString() {
        return "S3Settings[store=" + storeName + ", endpoint=" + (endpoint == null ? "aws" : S3Locations.redact(endpoint))
                + ", region=" + region + ", bucket=" + bucket + ", keyPrefix=" + keyPrefix + ", pathStyle=" + pathStyle
                + ", credentials=" + (accessKey == null ? "default chain" : "****") + ", partSize=" + partSize
                + ", largeObjectThreshold=" + largeObjectThreshold + ", uploadConcurrency=" + uploadConcurrency
                + ", conditionalWrites=" + conditionalWrites + "]";
    }
}
