package dev.stowage.s3;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ImageIds;
import dev.stowage.api.Location;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.spi.HashingInputStream;
import dev.stowage.spi.SizeEnforcingInputStream;
import dev.stowage.spi.Store;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.stowage.s3.S3StoreDriver.CREATE_BUCKET_ON_PUT;
import static dev.stowage.s3.S3StoreDriver.MAX_PART_SIZE;
import static dev.stowage.s3.S3StoreDriver.MIB;
import static dev.stowage.s3.S3StoreDriver.REGION;
import static java.util.Objects.requireNonNull;

/**
 * A store in one S3 bucket (under an optional key prefix). It owns its SDK client (Apache HttpClient 5 underneath)
 * and the threads that send multipart parts; {@link #close()} releases both.
 *
 * <p>How {@code add} writes (rules S1, S3, S4, S5):
 * <ul>
 *   <li>data that fits in one part (at most {@code part-size} bytes, known or unknown size) is buffered and sent with
 *   one PUT carrying its Content-MD5; the SDK may retry it;</li>
 *   <li>a known size over one part and under {@code large-object-threshold} is streamed in one PUT of that length;
 *   the data is checked to end exactly there before its last byte is sent, so a wrong size stores nothing;</li>
 *   <li>everything else goes as a multipart upload: the caller's thread fills part buffers (in 256 KiB chunks), upload
 *   threads send them, at most {@code upload-concurrency} buffers exist at a time; any failure aborts the upload.</li>
 * </ul>
 * Exclusive create sends {@code If-None-Match: *} with the final PUT or CompleteMultipartUpload when the server honours
 * it (then {@link Capability#ATOMIC_CREATE} is declared); otherwise it checks with HEAD before writing and again before
 * completing a multipart upload.
 */
final class S3Store implements Store {
    private static final System.Logger LOG = System.getLogger(S3Store.class.getName());
    private static final String OCTETS = "application/octet-stream";
    private static final long MAX_OBJECT_SIZE = 5L << 40;
    private static final int MAX_PARTS = 10_000;
    /** Unknown sizes double the part size every this many parts (10 MiB parts: 10 GB before the first doubling). */
    private static final int PARTS_PER_GROWTH = 1_000;
    /** The first chunk of data of unknown size: small objects of unknown size cost little memory. */
    private static final int FIRST_CHUNK = 64 * 1024;

    private final S3Settings settings;
    private final S3Client client;
    private final AwsCredentialsProvider credentials;
    private final ThreadPoolExecutor uploads;
    private final S3Locations locations;
    private final PendingAborts pendingAborts;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object bucketLock = new Object();
    private final Object probeLock = new Object();
    private volatile boolean bucketReady;
    private volatile Boolean conditionalWrites;

    private S3Store(S3Settings settings, S3Client client, AwsCredentialsProvider credentials) {
        this.settings = settings;
        this.client = client;
        this.credentials = credentials;
        this.locations = new S3Locations(settings.storeName(), settings.bucket(), settings.keyPrefix(),
                settings.endpoint());
        this.pendingAborts = new PendingAborts(client, settings.bucket(), settings.storeName());
        AtomicInteger threads = new AtomicInteger();
        this.uploads = new ThreadPoolExecutor(settings.uploadConcurrency(), settings.uploadConcurrency(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "stowage-s3-" + settings.storeName() + "-upload-"
                            + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.uploads.allowCoreThreadTimeOut(true);
        switch (settings.conditionalWrites()) {
            case TRUE -> conditionalWrites = true;
            case FALSE -> conditionalWrites = false;
            case AUTO -> conditionalWrites = null;
        }
    }

    /** Builds the SDK client for {@code settings}; configuration the SDK rejects is a configuration error. */
    static S3Store open(S3Settings settings) {
        String region = settings.region();
        if (region == null && settings.endpoint() != null) {
            region = "us-east-1";
        }
        if (region == null) {
            try {
                region = new DefaultAwsRegionProviderChain().getRegion().id();
            } catch (SdkException e) {
                throw new ConfigurationException(settings.key(REGION), "Cannot configure store "
                        + settings.storeName() + ": option '" + settings.key(REGION)
                        + "' is not set and the SDK found no region in its environment", e);
            }
        }
        AwsCredentialsProvider credentials = settings.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(),
                settings.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        try {
            S3ClientBuilder builder = S3Client.builder()
                    .httpClientBuilder(Apache5HttpClient.builder()
                            .maxConnections(Math.max(50, 2 * settings.uploadConcurrency() + 8))
                            .connectionTimeout(settings.connectTimeout())
                            .socketTimeout(settings.socketTimeout()))
                    .region(Region.of(region))
                    .credentialsProvider(credentials)
                    .forcePathStyle(settings.pathStyle())
                    .requestChecksumCalculation(settings.checksumsWhenSupported()
                            ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(settings.checksumsWhenSupported()
                            ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED);
            if (settings.endpoint() != null) {
                builder.endpointOverride(settings.endpoint());
            }
            S3Store store = new S3Store(settings, builder.build(), credentials);
            LOG.log(System.Logger.Level.DEBUG, () -> "Opened " + store);
            return store;
        } catch (SdkException | IllegalArgumentException e) {
            closeQuietly(credentials);
            throw new ConfigurationException(settings.storeName(), "Cannot configure store " + settings.storeName()
                    + ": the S3 client cannot be built: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return settings.storeName();
    }

    @Override
    public String type() {
        return S3StoreDriver.TYPE;
    }

    /**
     * READ, RANGE_READ, WRITE, DELETE, and ATOMIC_CREATE when exclusive create uses conditional writes. With
     * {@code conditional-writes=auto} the first call (or the first add) probes the server; its answer holds for the
     * life of the store. While the server cannot be reached the probe decides nothing and ATOMIC_CREATE is left out.
     */
    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> capabilities = EnumSet.of(Capability.READ, Capability.RANGE_READ, Capability.WRITE,
                Capability.DELETE);
        boolean atomic;
        try {
            atomic = conditionalWrites();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Store " + name() + " cannot tell yet whether its server"
                    + " honours If-None-Match: " + e.getMessage());
            atomic = false;
        }
        if (atomic) {
            capabilities.add(Capability.ATOMIC_CREATE);
        }
        return Collections.unmodifiableSet(capabilities);
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
        checkOpen("add", "image " + ImageIds.quote(imageId));
        ImageIds.requireValid(imageId);
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        String key = locations.key(imageId);
        URI uri = locations.uri(key);
        String shown = uri.toString();
        if (expectedSize < 0 && expectedSize != UNKNOWN_SIZE) {
            throw new SizeMismatchException("Cannot add " + shown + ": the declared size " + expectedSize
                    + " is negative");
        }
        if (expectedSize > MAX_OBJECT_SIZE) {
            throw new StorageFullException("Cannot add " + shown + ": the declared size " + expectedSize
                    + " is more than S3 allows in one object (5 TiB)");
        }
        try {
            ensureBucket(shown);
            boolean exclusive = conditionalWrites();
            if (exists(key)) {
                throw duplicate(shown);
            }
            HashingInputStream hashing = new HashingInputStream(
                    new SizeEnforcingInputStream(data, expectedSize, shown), options.hashAlgorithm());
            long partSize = partSize(expectedSize);
            if (expectedSize != UNKNOWN_SIZE && expectedSize > partSize
                    && expectedSize < settings.largeObjectThreshold()) {
                putStreaming(key, shown, hashing, expectedSize, exclusive);
            } else {
                write(key, shown, hashing, expectedSize, partSize, exclusive);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "Added " + shown + " (" + hashing.count() + " bytes)");
            return new AddResult(Location.of(uri, name(), metadata()), hashing.count(), hashing.md5Hex(),
                    hashing.multihash());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreIOException("Cannot add " + shown + ": interrupted", e);
        } catch (Exception e) {
            throw addFailure(shown, e);
        }
    }

    private StoreException addFailure(String shown, Exception e) {
        if (e instanceof StoreException store) {
            return store;
        }
        if ("NoSuchBucket".equals(S3Errors.errorCode(e))) {
            return new ConfigurationException(settings.key(S3StoreDriver.BUCKET), "Cannot add " + shown + ": bucket '"
                    + settings.bucket() + "' does not exist; create it or set '" + settings.key(CREATE_BUCKET_ON_PUT)
                    + "' to true", e);
        }
        if (e instanceof IOException io) {
            // only the caller's data is read outside the SDK
            return new StoreIOException("Cannot add " + shown + ": reading the data failed: " + io.getMessage(), io);
        }
        if (S3Errors.has(e, InterruptedException.class) || S3Errors.has(e, AbortedException.class)) {
            // the SDK clears the interrupt flag when it gives up on an interrupted call: give it back
            Thread.currentThread().interrupt();
        }
        return S3Errors.translate("add", shown, e, true);
    }

    /** Data of unknown size or of at least the threshold: one buffered PUT if it fits in a part, else multipart. */
    private void write(String key, String shown, HashingInputStream hashing, long expectedSize, long partSize,
                       boolean exclusive) throws Exception {
        PartReader reader = new PartReader(hashing);
        int concurrency = settings.uploadConcurrency();
        PartBuffer.Pool pool = new PartBuffer.Pool((int) Math.min(1 << 16,
                concurrency * ((partSize + PartBuffer.CHUNK_SIZE - 1) / PartBuffer.CHUNK_SIZE)));
        PartBuffer head = new PartBuffer(pool);
        // small objects of unknown size start small; a known size is read into chunks of its own length
        head.fill(reader, expectedSize == UNKNOWN_SIZE ? partSize : Math.min(partSize, expectedSize),
                expectedSize == UNKNOWN_SIZE ? FIRST_CHUNK : PartBuffer.CHUNK_SIZE);
        if (reader.atEnd()) {
            putBuffered(key, shown, head, hashing.md5Hex(), exclusive);
            return;
        }
        writeMultipart(key, shown, reader, head, pool, expectedSize, partSize, exclusive);
    }

    private void writeMultipart(String key, String shown, PartReader reader, PartBuffer head, PartBuffer.Pool pool,
                                long expectedSize, long partSize, boolean exclusive) throws Exception {
        MultipartWriter writer = new MultipartWriter(client, uploads, settings.bucket(), key, shown,
                settings.uploadConcurrency(), pool, settings.checksumsWhenSupported(), pendingAborts);
        writer.start();
        try {
            int partNumber = 1;
            PartBuffer buffer = head;
            long total = 0;
            while (true) {
                total += buffer.length();
                writer.send(partNumber, buffer);
                if (reader.atEnd()) {
                    break;
                }
                partNumber++;
                if (partNumber > MAX_PARTS) {
                    throw new StorageFullException("Cannot add " + shown + ": the data needs more than " + MAX_PARTS
                            + " parts (" + total + " bytes sent so far)");
                }
                buffer = writer.nextBuffer();
                buffer.fill(reader, partSize(partNumber, partSize, expectedSize), PartBuffer.CHUNK_SIZE);
            }
            writer.awaitParts();
            if (!exclusive && exists(key)) {
                throw duplicate(shown);
            }
            try {
                writer.complete(exclusive, total);
            } catch (AwsServiceException e) {
                throw conditionalFailure(key, shown, exclusive, e);
            }
            long parts = partNumber;
            LOG.log(System.Logger.Level.DEBUG, () -> "Sent " + shown + " in " + parts + " parts");
        } catch (Throwable e) {
            writer.abort(e);
            throw e;
        }
    }

    private void putBuffered(String key, String shown, PartBuffer buffer, String md5Hex, boolean exclusive) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentLength(buffer.length()).contentType(OCTETS)
                .contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5Hex)));
        if (exclusive) {
            request.ifNoneMatch("*");
        }
        try {
            client.putObject(request.build(), RequestBody.fromContentProvider(buffer::stream, buffer.length(),
                    OCTETS));
        } catch (AwsServiceException e) {
            throw conditionalFailure(key, shown, exclusive, e);
        }
    }

    private void putStreaming(String key, String shown, InputStream data, long size, boolean exclusive)
            throws Exception {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentLength(size).contentType(OCTETS);
        if (exclusive) {
            request.ifNoneMatch("*");
        }
        OneShotBody body = new OneShotBody(data, size, shown);
        try {
            client.putObject(request.build(), RequestBody.fromContentProvider(body, size, OCTETS));
        } catch (RuntimeException e) {
            Exception source = body.sourceFailure();
            if (source != null) {
                if (source != e) {
                    source.addSuppressed(e);
                }
                throw source;
            }
            if (e instanceof AwsServiceException service) {
                throw conditionalFailure(key, shown, exclusive, service);
            }
            throw e;
        }
    }

    /** A failed final write: 412 (or a 409 conflict with the object now there) under If-None-Match is a duplicate. */
    private RuntimeException conditionalFailure(String key, String shown, boolean exclusive, AwsServiceException e) {
        if (exclusive && (e.statusCode() == 412
                || (e.statusCode() == 409 && "ConditionalRequestConflict".equals(S3Errors.errorCode(e))
                && exists(key)))) {
            return new DuplicateObjectException("Cannot add " + shown + ": the object already exists", e);
        }
        return e;
    }

    private static DuplicateObjectException duplicate(String shown) {
        return new DuplicateObjectException("Cannot add " + shown + ": the object already exists");
    }

    /** The part size for an object: the configured one, grown so that a known size needs at most 10,000 parts. */
    private long partSize(long expectedSize) {
        long partSize = settings.partSize();
        if (expectedSize != UNKNOWN_SIZE) {
            long needed = (expectedSize + MAX_PARTS - 1) / MAX_PARTS;
            long rounded = (needed + MIB - 1) / MIB * MIB;
            partSize = Math.max(partSize, Math.min(rounded, MAX_PART_SIZE));
        }
        return partSize;
    }

    /** The size of part {@code partNumber}: fixed for a known size, doubling every 1,000 parts for an unknown one. */
    private static long partSize(int partNumber, long partSize, long expectedSize) {
        if (expectedSize != UNKNOWN_SIZE) {
            return partSize;
        }
        int doublings = Math.min(20, (partNumber - 1) / PARTS_PER_GROWTH);
        return Math.min(MAX_PART_SIZE, partSize << doublings);
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        requireNonNull(location, "location is null");
        requireNonNull(range, "range is null");
        String key = keyOf("read", location);
        String shown = locations.uri(key).toString();
        try {
            if (range.isAll()) {
                ResponseInputStream<GetObjectResponse> in = client.getObject(
                        GetObjectRequest.builder().bucket(settings.bucket()).key(key).build());
                Long length = in.response().contentLength();
                return new ObjectStream(in, shown, length == null ? -1 : length);
            }
            HeadObjectResponse head = head(key);
            long length = range.within(head.contentLength(), shown);
            if (length == 0) {
                return new EmptyStream(shown);
            }
            GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(settings.bucket()).key(key)
                    .range("bytes=" + range.offset() + "-" + (range.offset() + length - 1));
            if (head.eTag() != null) {
                request.ifMatch(head.eTag());
            }
            ResponseInputStream<GetObjectResponse> in = client.getObject(request.build());
            Long received = in.response().contentLength();
            if (received == null || received != length) {
                in.abort();
                closeQuietly(in);
                throw new StoreIOException("Cannot read " + shown + ": S3 answered the range " + range + " with "
                        + received + " bytes instead of " + length);
            }
            return new ObjectStream(in, shown, length);
        } catch (SdkException e) {
            if (S3Errors.isStatus(e, 412)) {
                throw new StoreIOException("Cannot read " + shown + ": the object changed while it was being read",
                        e);
            }
            throw S3Errors.translate("read", shown, e, false);
        }
    }

    @Override
    public long size(Location location) {
        requireNonNull(location, "location is null");
        String key = keyOf("read", location);
        try {
            return head(key).contentLength();
        } catch (SdkException e) {
            throw S3Errors.translate("read", locations.uri(key).toString(), e, false);
        }
    }

    @Override
    public void delete(Location location) {
        requireNonNull(location, "location is null");
        String key = keyOf("delete", location);
        String shown = locations.uri(key).toString();
        try {
            // S3 deletes a missing key without complaint; the contract wants not-found (rule S7)
            head(key);
            client.deleteObject(request -> request.bucket(settings.bucket()).key(key));
            LOG.log(System.Logger.Level.DEBUG, () -> "Deleted " + shown);
        } catch (SdkException e) {
            throw S3Errors.translate("delete", shown, e, true);
        }
    }

    /** HEAD of the id's key: the location when the object exists, empty on 404. */
    @Override
    public Optional<Location> find(String imageId) {
        checkOpen("find", "image " + ImageIds.quote(imageId));
        ImageIds.requireValid(imageId);
        String key = locations.key(imageId);
        URI uri = locations.uri(key);
        try {
            return exists(key) ? Optional.of(Location.of(uri, name(), metadata())) : Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.translate("read", uri.toString(), e, false);
        }
    }

    @Override
    public Location location(URI uri) {
        requireNonNull(uri, "uri is null");
        checkOpen("use location", S3Locations.redact(uri));
        return Location.of(locations.uri(locations.parseKey(uri)), name(), metadata());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        uploads.shutdown();
        pendingAborts.close();
        client.close();
        closeQuietly(credentials);
        LOG.log(System.Logger.Level.DEBUG, () -> "Closed store " + name());
    }

    @Override
    public String toString() {
        return "S3Store[" + settings + "]";
    }

    private String keyOf(String verb, Location location) {
        checkOpen(verb, S3Locations.redact(location.uri()));
        return locations.parseKey(location.uri());
    }

    private HeadObjectResponse head(String key) {
        return client.headObject(request -> request.bucket(settings.bucket()).key(key));
    }

    private boolean exists(String key) {
        try {
            head(key);
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void checkOpen(String verb, String what) {
        if (closed.get()) {
            throw new StoreClosedException("Cannot " + verb + " " + what + ": store " + name() + " is closed");
        }
    }

    /** With {@code create-bucket-on-put}, makes sure the bucket exists (once per store). */
    private void ensureBucket(String shown) {
        if (!settings.createBucketOnPut() || bucketReady) {
            return;
        }
        synchronized (bucketLock) {
            if (bucketReady) {
                return;
            }
            try {
                client.headBucket(request -> request.bucket(settings.bucket()));
            } catch (AwsServiceException e) {
                if (e.statusCode() == 404) {
                    createBucket(shown);
                } else if (e.statusCode() != 403) {
                    // 403: not allowed to look; the write will say whether it may write
                    throw e;
                }
            }
            bucketReady = true;
        }
    }

    private void createBucket(String shown) {
        String region = client.serviceClientConfiguration().region().id();
        try {
            client.createBucket(request -> {
                request.bucket(settings.bucket());
                if (!region.equals("us-east-1")) {
                    request.createBucketConfiguration(config -> config.locationConstraint(region));
                }
            });
            LOG.log(System.Logger.Level.INFO, () -> "Created bucket " + settings.bucket() + " for store " + name());
        } catch (AwsServiceException e) {
            String code = S3Errors.errorCode(e);
            if (code.equals("BucketAlreadyExists")) {
                throw new ConfigurationException(settings.key(S3StoreDriver.BUCKET), "Cannot add " + shown
                        + ": bucket '" + settings.bucket() + "' belongs to another account", e);
            }
            if (!code.equals("BucketAlreadyOwnedByYou")) {
                throw e;
            }
        }
    }

    /**
     * Whether exclusive create uses If-None-Match. With {@code auto} the server is probed until it gives a definite
     * answer, which then holds for the life of the store. A probe that cannot reach the server (or finds no bucket)
     * decides nothing: {@code add} fails with that error, and {@link #capabilities()} leaves ATOMIC_CREATE out for
     * now.
     */
    private boolean conditionalWrites() {
        Boolean known = conditionalWrites;
        if (known != null) {
            return known;
        }
        synchronized (probeLock) {
            if (conditionalWrites == null) {
                if (closed.get()) {
                    return false;
                }
                conditionalWrites = probeConditionalWrites();
            }
            return conditionalWrites;
        }
    }

    /**
     * Writes a probe object twice with {@code If-None-Match: *} (the second must fail with 412), then completes a
     * one-part multipart upload onto it the same way (must fail with 412). The probe key starts with '.', which no
     * image id does. Any other answer from the server means head-then-put; no answer (or no bucket) throws.
     */
    private boolean probeConditionalWrites() {
        String key = settings.keyPrefix() + ".stowage-probe-" + UUID.randomUUID();
        String shown = locations.uri(key).toString();
        boolean checksums = settings.checksumsWhenSupported();
        boolean written = false;
        try {
            ensureBucket(shown);
            client.putObject(request -> request.bucket(settings.bucket()).key(key).ifNoneMatch("*"),
                    RequestBody.empty());
            written = true;
            try {
                client.putObject(request -> request.bucket(settings.bucket()).key(key).ifNoneMatch("*"),
                        RequestBody.empty());
                return unsupported("the server ignores If-None-Match on PutObject");
            } catch (AwsServiceException e) {
                if (e.statusCode() != 412) {
                    return unsupported("PutObject with If-None-Match failed: " + e.getMessage());
                }
            }
            String uploadId = client.createMultipartUpload(request -> {
                request.bucket(settings.bucket()).key(key);
                if (checksums) {
                    request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                }
            }).uploadId();
            try {
                UploadPartRequest.Builder partRequest = UploadPartRequest.builder().bucket(settings.bucket()).key(key)
                        .uploadId(uploadId).partNumber(1).contentLength(1L);
                if (checksums) {
                    partRequest.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                }
                UploadPartResponse part = client.uploadPart(partRequest.build(), RequestBody.fromBytes(new byte[1]));
                CompletedPart completed = CompletedPart.builder().partNumber(1).eTag(part.eTag())
                        .checksumCRC32(part.checksumCRC32()).build();
                try {
                    client.completeMultipartUpload(request -> request.bucket(settings.bucket()).key(key)
                            .uploadId(uploadId).ifNoneMatch("*").multipartUpload(upload -> upload.parts(completed)));
                    return unsupported("the server ignores If-None-Match on CompleteMultipartUpload");
                } catch (AwsServiceException e) {
                    if (e.statusCode() != 412) {
                        return unsupported("CompleteMultipartUpload with If-None-Match failed: " + e.getMessage());
                    }
                }
            } finally {
                try {
                    client.abortMultipartUpload(request -> request.bucket(settings.bucket()).key(key)
                            .uploadId(uploadId));
                } catch (SdkException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "Abort of probe upload: " + e.getMessage());
                }
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "Store " + name() + ": the server honours If-None-Match;"
                    + " exclusive create is atomic");
            return true;
        } catch (AwsServiceException e) {
            if ("NoSuchBucket".equals(S3Errors.errorCode(e)) || e.statusCode() >= 500 || e.statusCode() == 429
                    || e.isThrottlingException()) {
                throw e;
            }
            return unsupported("the probe failed: " + e.getMessage());
        } finally {
            if (written) {
                try {
                    client.deleteObject(request -> request.bucket(settings.bucket()).key(key));
                } catch (SdkException e) {
                    LOG.log(System.Logger.Level.WARNING, () -> "Cannot delete probe object " + shown + ": "
                            + e.getMessage());
                }
            }
        }
    }

    private boolean unsupported(String reason) {
        LOG.log(System.Logger.Level.WARNING, () -> "Store " + name() + " uses HEAD-then-put for exclusive create"
                + " (not atomic under a race): " + reason + "; set conditional-writes to true or false to skip the"
                + " probe");
        return false;
    }

    private static void closeQuietly(Object closeable) {
        try {
            if (closeable instanceof SdkAutoCloseable sdk) {
                sdk.close();
            } else if (closeable instanceof AutoCloseable auto) {
                auto.close();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Ignored failure while closing: " + e.getMessage());
        }
    }
}
