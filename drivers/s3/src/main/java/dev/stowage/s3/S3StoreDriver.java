package dev.stowage.s3;

import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The S3 store driver (type {@code s3}; location schemes {@code s3}, {@code s3+http}, {@code s3+https}): AWS S3 and
 * S3-compatible object storage (MinIO, Ceph RGW, ...) through the AWS SDK for Java v2.
 *
 * <p>Locations look like {@code s3://<bucket>/<key-prefix><image id>} and never carry credentials. Glance's legacy
 * {@code s3[+http|+https]://<access>:<secret>@<host>/<bucket>/<key>} locations are accepted when parsing; the
 * credentials are dropped and never shown.
 */
public final class S3StoreDriver implements StoreDriver {
    /** The driver type used in configuration. */
    public static final String TYPE = "s3";

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    /** The smallest part S3 accepts (all parts but the last). */
    static final long MIN_PART_SIZE = 5 * MIB;
    /** The largest part this store buffers (parts are byte arrays). */
    static final long MAX_PART_SIZE = GIB;
    /** The largest object a single PUT may carry. */
    static final long MAX_SINGLE_PUT = 5 * GIB;

    /** How requests name the bucket. */
    public enum Addressing {
        /** {@code https://endpoint/bucket/key}. */
        PATH,
        /** {@code https://bucket.endpoint/key}. */
        VIRTUAL_HOSTED,
        /** Path-style with a configured endpoint or a bucket name that is not DNS-safe, else virtual-hosted. */
        AUTO
    }

    /** Whether exclusive create uses {@code If-None-Match: *} (atomic) or a HEAD before the write. */
    public enum ConditionalWrites {
        /** Probe the server once, on first use. */
        AUTO,
        /** Always send {@code If-None-Match: *}; the server must honour it. */
        TRUE,
        /** Never send it; check with HEAD before writing (not atomic under a race). */
        FALSE
    }

    /** When the SDK adds CRC checksums to requests and validates them on responses. */
    public enum ChecksumCalculation {
        /** {@code when-supported} on AWS (no endpoint), {@code when-required} with a configured endpoint. */
        AUTO,
        /** Checksums on every request that supports them (the SDK default; AWS S3). */
        WHEN_SUPPORTED,
        /** Checksums only where the API requires them (safest for S3-compatible servers). */
        WHEN_REQUIRED
    }

    public static final Option<URI> ENDPOINT = Option.builder("endpoint", endpointType())
            .description("S3 endpoint URL, e.g. http://minio:9000; AWS S3 when absent").build();
    public static final Option<String> REGION = Option.builder("region", OptionType.STRING)
            .constraint(S3StoreDriver::isRegion, "must be a region name such as us-east-1")
            .description("Signing region; when absent us-east-1 with an endpoint, else the SDK's region chain")
            .build();
    public static final Option<String> BUCKET = Option.builder("bucket", OptionType.STRING).required()
            .constraint(S3StoreDriver::isBucketName,
                    "must be 3-63 characters of letters, digits, '.', '_' or '-', starting and ending with a letter"
                            + " or digit, without '..'")
            .description("Bucket that holds the objects").build();
    public static final Option<String> KEY_PREFIX = Option.builder("key-prefix", OptionType.STRING).defaultValue("")
            .constraint(S3StoreDriver::isKeyPrefix,
                    "must be '/'-separated segments of [A-Za-z0-9._-] (no empty, '.' or '..' segment), at most 512"
                            + " characters")
            .description("Prefix of every object key, e.g. images/ (a trailing '/' is added)").build();
    public static final Option<Addressing> ADDRESSING = Option.builder("addressing", OptionType.enumOf(Addressing.class))
            .defaultValue(Addressing.AUTO)
            .description("path, virtual-hosted, or auto (path-style with an endpoint or a bucket name that is not"
                    + " DNS-safe)").build();
    public static final Option<Boolean> CREATE_BUCKET_ON_PUT = Option.builder("create-bucket-on-put", OptionType.BOOLEAN)
            .defaultValue(false).description("Create the bucket on the first add when it does not exist").build();
    public static final Option<String> ACCESS_KEY = Option.builder("access-key", OptionType.STRING).secret()
            .description("Access key id; with secret-key, or neither for the SDK's default credential chain").build();
    public static final Option<String> SECRET_KEY = Option.builder("secret-key", OptionType.STRING).secret()
            .description("Secret access key; with access-key, or neither for the SDK's default credential chain")
            .build();
    public static final Option<Long> LARGE_OBJECT_THRESHOLD = Option.builder("large-object-threshold", OptionType.BYTES)
            .defaultValue(100 * MIB)
            .constraint(size -> size >= 0 && size <= MAX_SINGLE_PUT, "must be between 0 and 5GiB")
            .description("Known sizes from this one (default 100 MiB) and unknown sizes over one part use a multipart"
                    + " upload; known sizes over one part and under it one streamed PUT")
            .build();
    public static final Option<Long> PART_SIZE = Option.builder("part-size", OptionType.BYTES).defaultValue(10 * MIB)
            .constraint(size -> size >= MIN_PART_SIZE && size <= MAX_PART_SIZE, "must be between 5MiB and 1GiB")
            .description("Multipart part size (default 10 MiB); grown so that no object needs more than 10,000"
                    + " parts").build();
    public static final Option<Integer> UPLOAD_CONCURRENCY = Option.builder("upload-concurrency", OptionType.INT)
            .defaultValue(4).constraint(n -> n >= 1 && n <= 64, "must be between 1 and 64")
            .description("Parts of one add uploaded at once; an add buffers at most this many parts").build();
    public static final Option<ConditionalWrites> CONDITIONAL_WRITES =
            Option.builder("conditional-writes", OptionType.enumOf(ConditionalWrites.class))
                    .defaultValue(ConditionalWrites.AUTO)
                    .description("auto (probe once), true or false: exclusive create with If-None-Match: *"
                            + " (atomic) or HEAD-then-put").build();
    public static final Option<ChecksumCalculation> CHECKSUM_CALCULATION =
            Option.builder("checksum-calculation", OptionType.enumOf(ChecksumCalculation.class))
                    .defaultValue(ChecksumCalculation.AUTO)
                    .description("When the SDK adds CRC checksums to requests and checks them on responses:"
                            + " when-supported (AWS), when-required (safest for S3-compatible servers), or auto"
                            + " (when-required with an endpoint, else when-supported)").build();
    public static final Option<Duration> CONNECT_TIMEOUT = Option.builder("connect-timeout", OptionType.DURATION)
            .defaultValue(Duration.ofSeconds(10)).constraint(S3StoreDriver::positive, "must be positive")
            .description("Time to open a connection").build();
    public static final Option<Duration> SOCKET_TIMEOUT = Option.builder("socket-timeout", OptionType.DURATION)
            .defaultValue(Duration.ofSeconds(60)).constraint(S3StoreDriver::positive, "must be positive")
            .description("Longest wait for data on an open connection").build();

    private static final List<Option<?>> OPTIONS = List.of(ENDPOINT, REGION, BUCKET, KEY_PREFIX, ADDRESSING,
            CREATE_BUCKET_ON_PUT, ACCESS_KEY, SECRET_KEY, LARGE_OBJECT_THRESHOLD, PART_SIZE, UPLOAD_CONCURRENCY,
            CONDITIONAL_WRITES, CHECKSUM_CALCULATION, CONNECT_TIMEOUT, SOCKET_TIMEOUT);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> schemes() {
        return S3Locations.SCHEMES;
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Store create(StoreConfig config) {
        requireNonNull(config, "config is null");
        return S3Store.open(S3Settings.from(config));
    }

    private static OptionType<URI> endpointType() {
        return OptionType.of("uri", text -> {
            URI uri;
            try {
                uri = new URI(text.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a valid URI: " + e.getReason());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("expected an http or https URL such as https://s3.example.com");
            }
            return uri;
        }, S3Locations::redact);
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    static boolean isRegion(String region) {
        return region.matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    static boolean isBucketName(String bucket) {
        return bucket.matches("[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]") && !bucket.contains("..");
    }

    /** Whether virtual-hosted addressing can name the bucket (DNS label rules, no dots because of TLS). */
    static boolean isDnsSafeBucket(String bucket) {
        return bucket.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    }

    static boolean isKeyPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return true;
        }
        if (prefix.length() > 512) {
            return false;
        }
        String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || !segment.matches("[A-Za-z0-9._-]+")) {
                return false;
            }
        }
        return true;
    }
}
