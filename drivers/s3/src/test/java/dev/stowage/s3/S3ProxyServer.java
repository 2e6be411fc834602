package dev.stowage.s3;

import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One S3Proxy per test JVM, embedded, with AWS signature V4 authentication and the file-system back end in a temporary
 * directory (so large objects do not sit in the heap). Started on first use, stopped at JVM exit. Tests get fresh
 * buckets from {@link #newBucket()} and look behind the store with {@link #admin()}.
 */
final class S3ProxyServer {
    /** The credentials of the server; the secret is distinctive so leak checks can search for it. */
    static final String ACCESS_KEY = "stowage-test-access";
    static final String SECRET_KEY = TestSecrets.SERVER;

    private static S3ProxyServer shared;

    private final S3Proxy proxy;
    private final Process process;
    private final Path directory;
    private final URI endpoint;
    private final S3Client admin;
    private final AtomicInteger buckets = new AtomicInteger();

    private S3ProxyServer() throws Exception {
        process = null;
        directory = Files.createTempDirectory("stowage-s3proxy");
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        admin = adminClient(endpoint);
    }

    private S3ProxyServer(Process process, URI endpoint) {
        this.proxy = null;
        this.process = process;
        this.directory = null;
        this.endpoint = endpoint;
        this.admin = adminClient(endpoint);
    }

    private static S3Client adminClient(URI endpoint) {
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

    /**
     * A server in a child JVM (same class path), so that a test's heap limit applies to the store alone. Stopped by
     * {@link #close()}, or when this JVM ends.
     */
    static S3ProxyServer inChildProcess(String maxHeap) throws IOException {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(launcher, "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"),
                S3ProxyServer.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "s3proxy-child-stop"));
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("S3PROXY-ENDPOINT ")) {
                return new S3ProxyServer(process, URI.create(line.substring("S3PROXY-ENDPOINT ".length())));
            }
        }
        process.destroy();
        throw new IOException("the S3Proxy child process ended without announcing its endpoint");
    }

    /** Runs a server until standard input ends; announces {@code S3PROXY-ENDPOINT <uri>} on standard output. */
    public static void main(String[] args) throws Exception {
        S3ProxyServer server = new S3ProxyServer();
        System.out.println("S3PROXY-ENDPOINT " + server.endpoint());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
        server.stop();
    }

    /** Stops a server in a child process (the shared one stops at JVM exit). */
    void close() throws InterruptedException {
        admin.close();
        if (process != null) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                process.destroy();
            }
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The server shared by every test of this JVM. */
    static synchronized S3ProxyServer shared() {
        if (shared == null) {
            try {
                shared = new S3ProxyServer();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start S3Proxy: " + e, e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "s3proxy-stop"));
        }
        return shared;
    }

    URI endpoint() {
        return endpoint;
    }

    /** A client for looking behind the store (listing objects and uploads, placing fixtures). */
    S3Client admin() {
        return admin;
    }

    /** A new, empty bucket. */
    String newBucket() {
        String bucket = "stowage-" + ProcessHandle.current().pid() + "-" + buckets.incrementAndGet();
        admin.createBucket(request -> request.bucket(bucket));
        return bucket;
    }

    /** Store options for {@code bucket} on this server, with {@code overrides} (option name to value). */
    Map<String, String> options(String bucket, Map<String, String> overrides) {
        Map<String, String> options = new HashMap<>();
        options.put("endpoint", endpoint.toString());
        options.put("bucket", bucket);
        options.put("access-key", ACCESS_KEY);
        options.put("secret-key", SECRET_KEY);
        options.putAll(overrides);
        options.values().removeIf(value -> value == null || value.isEmpty());
        return options;
    }

    /**
     * A store named {@code name} on {@code bucket}, configured through the driver like a user would; when the suite's
     * secret watch runs, wrapped so that the watch sees every error and location it gives out.
     */
    Store open(String name, String bucket, Map<String, String> overrides) {
        S3StoreDriver driver = new S3StoreDriver();
        Store store = driver.create(StoreConfig.parse(name, "stowage.stores." + name + ".", driver.options(),
                options(bucket, overrides)));
        SuiteWatch watch = SuiteWatch.started();
        return watch == null ? store : new WatchedStore(store, watch);
    }

    /** The HTTP status of a HeadObject of {@code key} through the raw SDK client: 200, or the error's status. */
    int headStatus(String bucket, String key) {
        try {
            return admin.headObject(request -> request.bucket(bucket).key(key)).sdkHttpResponse().statusCode();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return e.statusCode();
        }
    }

    /** The keys in {@code bucket}. */
    List<String> keys(String bucket) {
        return admin.listObjectsV2Paginator(request -> request.bucket(bucket)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** The keys of the multipart uploads in progress in {@code bucket}. */
    List<String> uploads(String bucket) {
        return admin.listMultipartUploads(request -> request.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::key).toList();
    }

    private void stop() {
        try {
            admin.close();
            proxy.stop();
        } catch (Exception e) {
            // the JVM is ending
        }
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
