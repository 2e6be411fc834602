package dev.stowage.reliability;

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
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S3Proxy embedded (AWS signature V4, file-system back end in a directory of the test) on a fixed port, so that it
 * can be stopped in the middle of a request and started again on the same port and data. An admin client (the raw
 * SDK) looks behind the store: objects, multipart uploads in progress.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "reliability-access";

    private final Path directory;
    private final int port;
    private final String secretKey;
    private S3Proxy proxy;
    private final S3Client admin;

    S3Server(Path directory, String secretKey) throws Exception {
        this.directory = java.nio.file.Files.createDirectories(directory);
        this.secretKey = secretKey;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        start();
        admin = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        secretKey)))
                .build();
    }

    /** Starts the server (again) on the same port and data directory. */
    synchronized void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, secretKey)
                .endpoint(endpoint())
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** Starts the server unless it runs. */
    synchronized void ensureStarted() throws Exception {
        if (!"STARTED".equals(proxy.getState())) {
            start();
        }
    }

    /** Stops the server: open connections are cut, new ones refused. */
    synchronized void stop() throws Exception {
        proxy.stop();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    S3Client admin() {
        return admin;
    }

    void createBucket(String bucket) {
        admin.createBucket(request -> request.bucket(bucket));
    }

    List<String> keys(String bucket) {
        return admin.listObjectsV2Paginator(request -> request.bucket(bucket)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** The keys of the multipart uploads in progress in {@code bucket} (ListMultipartUploads). */
    List<String> uploads(String bucket) {
        return admin.listMultipartUploads(request -> request.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::key).toList();
    }

    /** {@code stowage.stores.<name>.*} keys of an S3 store on {@code bucket} of this server. */
    Map<String, String> stowage(String name, String bucket, String... keyValues) {
        Map<String, String> configuration = new LinkedHashMap<>();
        String prefix = "stowage.stores." + name + ".";
        configuration.put(prefix + "type", "s3");
        configuration.put(prefix + "endpoint", endpoint().toString());
        configuration.put(prefix + "bucket", bucket);
        configuration.put(prefix + "access-key", ACCESS_KEY);
        configuration.put(prefix + "secret-key", secretKey);
        for (int i = 0; i < keyValues.length; i += 2) {
            configuration.put(prefix + keyValues[i], keyValues[i + 1]);
        }
        return configuration;
    }

    @Override
    public void close() throws Exception {
        admin.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            // stopped already
        }
    }

}
