package dev.stowage.s3;

import dev.stowage.api.Capability;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.tck.ContractSettings;
import dev.stowage.tck.StoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store contract against MinIO in a container, with the SDK's default checksums (when-supported) to check that
 * an S3-compatible server takes them. Needs a Docker engine: without one every test is reported skipped, with the
 * reason below (the condition comes before Testcontainers' own, whose reason says less).
 */
@EnabledIf(value = "dockerAvailable", disabledReason = "MinIO runs in a container and Testcontainers found no Docker"
        + " engine on this machine; the same store contract runs against the embedded S3Proxy"
        + " (S3ProxyStoreContractTest)")
@Testcontainers(disabledWithoutDocker = true)
class MinioStoreContractTest extends StoreContract {
    /** A pinned MinIO release, so the run is reproducible. */
    static final String IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

    @Container
    private static final MinIOContainer MINIO = new MinIOContainer(IMAGE);

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Client admin;

    private String bucket;

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    private static synchronized S3Client admin() {
        if (admin == null) {
            admin = S3Client.builder()
                    .httpClientBuilder(Apache5HttpClient.builder())
                    .endpointOverride(URI.create(MINIO.getS3URL()))
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            MINIO.getUserName(), MINIO.getPassword())))
                    .build();
        }
        return admin;
    }

    @AfterAll
    static void closeAdmin() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    @Override
    protected Store newStore() {
        bucket = "stowage-minio-" + BUCKETS.incrementAndGet();
        admin().createBucket(request -> request.bucket(bucket));
        Map<String, String> options = new HashMap<>();
        options.put("endpoint", MINIO.getS3URL());
        options.put("bucket", bucket);
        options.put("access-key", MINIO.getUserName());
        options.put("secret-key", MINIO.getPassword());
        options.put("part-size", "5MiB");
        options.put("large-object-threshold", "8MiB");
        options.put("checksum-calculation", "when-supported");
        S3StoreDriver driver = new S3StoreDriver();
        return driver.create(StoreConfig.parse("minio", "stowage.stores.minio.", driver.options(), options));
    }

    @Override
    protected ContractSettings settings() {
        return ContractSettings.defaults().withChunkSize(5 << 20);
    }

    /** MinIO honours If-None-Match: * (since 2024), so the probe of conditional-writes=auto finds atomic create. */
    @Override
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.of(EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE, Capability.DELETE,
                Capability.ATOMIC_CREATE));
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(MINIO.getUserName(), MINIO.getPassword());
    }

    @Override
    protected List<String> leftovers(Store store) {
        List<String> leftovers = new ArrayList<>();
        admin().listMultipartUploads(request -> request.bucket(bucket)).uploads()
                .forEach(upload -> leftovers.add("multipart upload " + upload.uploadId() + " of " + upload.key()));
        admin().listObjectsV2Paginator(request -> request.bucket(bucket)).contents().stream().map(S3Object::key)
                .filter(key -> key.startsWith(".")).forEach(key -> leftovers.add("object " + key));
        return leftovers;
    }
}
