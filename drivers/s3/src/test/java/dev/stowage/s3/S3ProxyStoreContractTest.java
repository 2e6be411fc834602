package dev.stowage.s3;

import dev.stowage.api.Capability;
import dev.stowage.spi.Store;
import dev.stowage.tck.ContractSettings;
import dev.stowage.tck.StoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract against an embedded S3Proxy (AWS signature V4, file-system back end). Every test gets a fresh
 * bucket. Parts are 5 MiB (the S3 minimum) and the single-PUT threshold 8 MiB, so the kit's sizes cross all three
 * write paths: buffered PUT (up to one part), streaming PUT (known size, 5-8 MiB) and multipart (the rest, and unknown
 * sizes over one part). Leftovers are multipart uploads in progress and objects outside the image keys (probe
 * objects). All log output of the run is watched for the server's secret key.
 */
class S3ProxyStoreContractTest extends StoreContract {
    private static final S3ProxyServer SERVER = S3ProxyServer.shared();
    private static final Map<String, String> OPTIONS = Map.of("part-size", "5MiB", "large-object-threshold", "8MiB");
    private static LogCapture logs;

    private String bucket;

    @BeforeAll
    static void watchLogs() {
        logs = new LogCapture(List.of(S3ProxyServer.SECRET_KEY), Map.of("dev.stowage", Level.ALL,
                "software.amazon.awssdk", Level.FINE));
    }

    @AfterAll
    static void noSecretLogged() {
        logs.close();
        assertThat(logs.records()).as("log records seen during the contract").isPositive();
        assertThat(logs.leaks()).isEmpty();
    }

    @Override
    protected Store newStore() {
        bucket = SERVER.newBucket();
        return SERVER.open("contract", bucket, OPTIONS);
    }

    @Override
    protected ContractSettings settings() {
        return ContractSettings.defaults().withChunkSize(5 << 20);
    }

    /** S3Proxy honours If-None-Match: *, so the probe of conditional-writes=auto finds atomic create. */
    @Override
    protected Optional<Set<Capability>> expectedCapabilities() {
        return Optional.of(EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE, Capability.DELETE,
                Capability.ATOMIC_CREATE));
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    @Override
    protected List<String> leftovers(Store store) {
        List<String> leftovers = new ArrayList<>();
        SERVER.admin().listMultipartUploads(request -> request.bucket(bucket)).uploads()
                .forEach(upload -> leftovers.add("multipart upload " + upload.uploadId() + " of " + upload.key()));
        SERVER.keys(bucket).stream().filter(key -> key.startsWith(".")).forEach(key -> leftovers.add("object " + key));
        return leftovers;
    }
}
