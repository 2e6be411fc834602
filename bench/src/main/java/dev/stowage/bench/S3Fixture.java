package dev.stowage.bench;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * S3Proxy embedded in this JVM (file-system back end under the work directory, AWS signature V4), one bucket, and a
 * plain AWS SDK v2 client for the baselines: the sync client on Apache HttpClient 5, path-style, checksums only where
 * required, which is how the S3 store configures its own client for an S3-compatible endpoint, so both sides speak
 * the same HTTP.
 */
final class S3Fixture implements AutoCloseable {
    /** Credentials of the local test server only. */
    static final String ACCESS_KEY = "stowage-bench";
    static final String SECRET_KEY = "stowage-bench-local-secret";
    static final String BUCKET = "bench";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    private S3Fixture(S3Proxy proxy, URI endpoint, S3Client client) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.client = client;
    }

    static S3Fixture start(Path directory) throws Exception {
        Files.createDirectories(directory);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        S3Client client = client(endpoint);
        client.createBucket(request -> request.bucket(BUCKET));
        return new S3Fixture(proxy, endpoint, client);
    }

    static S3Client client(URI endpoint) {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** The raw SDK client of the baselines. */
    S3Client client() {
        return client;
    }

    /** Configuration of an S3 store named {@code name} on this server's bucket. */
    Map<String, String> storeConfig(String name) {
        String prefix = "stowage.stores." + name + ".";
        Map<String, String> config = new LinkedHashMap<>();
        config.put(prefix + "type", "s3");
        config.put(prefix + "endpoint", endpoint.toString());
        config.put(prefix + "bucket", BUCKET);
        config.put(prefix + "access-key", ACCESS_KEY);
        config.put(prefix + "secret-key", SECRET_KEY);
        return config;
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            proxy.stop();
        }
    }
}
