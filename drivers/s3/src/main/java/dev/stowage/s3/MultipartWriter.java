package dev.stowage.s3;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * One multipart upload with bounded memory: at most {@code concurrency} part buffers exist at a time (the one being
 * filled by the caller's thread plus those being sent by the upload threads). A part's chunks go back to the pool
 * when it is sent. Not thread-safe: one add drives it; only the part uploads run on other threads.
 */
final class MultipartWriter {
    private static final System.Logger LOG = System.getLogger(MultipartWriter.class.getName());

    private final S3Client client;
    private final PendingAborts pendingAborts;
    private final Executor executor;
    private final String bucket;
    private final String key;
    private final String location;
    private final boolean checksums;
    private final Semaphore permits;
    private final PartBuffer.Pool pool;
    private final Map<Integer, CompletedPart> parts = new ConcurrentSkipListMap<>();
    private final List<CompletableFuture<Void>> sends = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private String uploadId;
    private long bytesSent;

    MultipartWriter(S3Client client, Executor executor, String bucket, String key, String location, int concurrency,
                    PartBuffer.Pool pool, boolean checksums, PendingAborts pendingAborts) {
        this.client = requireNonNull(client, "client is null");
        this.pendingAborts = requireNonNull(pendingAborts, "pendingAborts is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.key = requireNonNull(key, "key is null");
        this.location = requireNonNull(location, "location is null");
        this.checksums = checksums;
        this.permits = new Semaphore(concurrency);
        this.pool = requireNonNull(pool, "pool is null");
    }

    /** Starts the upload; the first part's buffer (already filled) takes the first buffer permit. */
    void start() {
        if (!permits.tryAcquire()) {
            throw new IllegalStateException("no buffer permit for the first part");
        }
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .contentType("application/octet-stream");
        if (checksums) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        try {
            uploadId = client.createMultipartUpload(request.build()).uploadId();
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "Started multipart upload " + uploadId + " of " + location);
    }

    /** The upload id, once started. */
    String uploadId() {
        return uploadId;
    }

    /**
     * An empty buffer for the next part. Blocks while {@code concurrency} buffers are in use and fails at once when a
     * part upload already failed.
     */
    PartBuffer nextBuffer() throws Exception {
        rethrowFailure();
        permits.acquire();
        try {
            rethrowFailure();
        } catch (Exception e) {
            permits.release();
            throw e;
        }
        return new PartBuffer(pool);
    }

    /** Sends the buffer as part {@code partNumber} on an upload thread; the buffer's permit goes with it. */
    void send(int partNumber, PartBuffer buffer) {
        bytesSent += buffer.length();
        CompletableFuture<Void> sent;
        try {
            sent = CompletableFuture.runAsync(() -> upload(partNumber, buffer), executor);
        } catch (RuntimeException e) {
            // the executor refused (store closing): give the permit back and report
            buffer.release();
            permits.release();
            throw e;
        }
        sends.add(sent);
    }

    private void upload(int partNumber, PartBuffer buffer) {
        try {
            if (stopping || failure.get() != null) {
                return;
            }
            UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(bucket).key(key)
                    .uploadId(uploadId).partNumber(partNumber).contentLength(buffer.length());
            if (checksums) {
                request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
            }
            UploadPartResponse response = client.uploadPart(request.build(), RequestBody.fromContentProvider(
                    buffer::stream, buffer.length(), "application/octet-stream"));
            parts.put(partNumber, CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).build());
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        } finally {
            buffer.release();
            permits.release();
        }
    }

    /** Waits for every part and fails with the first part failure. */
    void awaitParts() throws Exception {
        for (CompletableFuture<Void> sent : sends) {
            try {
                sent.get();
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e.getCause());
            }
        }
        rethrowFailure();
    }

    /** Completes the upload, with {@code If-None-Match: *} when {@code exclusive}. Parts must all be sent. */
    void complete(boolean exclusive, long expectedBytes) {
        if (parts.size() != sends.size() || bytesSent != expectedBytes) {
            throw new IllegalStateException("Cannot add " + location + ": " + parts.size() + " of " + sends.size()
                    + " parts and " + bytesSent + " of " + expectedBytes + " bytes were sent");
        }
        CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder().bucket(bucket)
                .key(key).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(new ArrayList<>(parts.values())).build());
        if (exclusive) {
            request.ifNoneMatch("*");
        }
        client.completeMultipartUpload(request.build());
        LOG.log(System.Logger.Level.DEBUG, () -> "Completed multipart upload " + uploadId + " of " + location + " ("
                + parts.size() + " parts, " + bytesSent + " bytes)");
    }

    /**
     * Aborts the upload after the parts in flight have ended, so nothing is left (rule S4). Never throws: a failed
     * abort is logged, added to {@code reason} as suppressed and handed to {@link PendingAborts}, which tries again. Waits without being interruptible, then restores the
     * caller's interrupt flag.
     */
    void abort(Throwable reason) {
        stopping = true;
        boolean interrupted = Thread.interrupted();
        try {
            for (CompletableFuture<Void> sent : sends) {
                try {
                    sent.join();
                } catch (RuntimeException ignored) {
                    // the part's failure is already recorded
                }
            }
            if (uploadId == null) {
                return;
            }
            try {
                client.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId));
                LOG.log(System.Logger.Level.DEBUG, () -> "Aborted multipart upload " + uploadId + " of " + location);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, () -> "Cannot abort multipart upload " + uploadId + " of "
                        + location + ": " + e.getMessage() + "; the store tries again in the background");
                pendingAborts.add(key, uploadId, location);
                if (reason != null && reason != e) {
                    reason.addSuppressed(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void rethrowFailure() throws Exception {
        Throwable failed = failure.get();
        if (failed instanceof Exception e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }
}
