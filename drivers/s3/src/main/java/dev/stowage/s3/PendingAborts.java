package dev.stowage.s3;

import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Multipart uploads whose abort failed, typically because the server was unreachable when the add failed (rule S4: no
 * upload may be left). They are aborted again in the background, with a growing pause (0.5 s doubling up to 30 s),
 * until the abort succeeds or the upload is gone, and once more when the store closes; what is still left then is
 * logged at WARNING (a bucket lifecycle rule for incomplete multipart uploads removes it). One daemon thread per
 * store, started on the first failed abort.
 */
final class PendingAborts {
    private static final System.Logger LOG = System.getLogger(PendingAborts.class.getName());
    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long LONGEST_PAUSE_MILLIS = 30_000;

    private final S3Client client;
    private final String bucket;
    private final String storeName;
    /** Upload id to its key and shown location. */
    private final Map<String, String[]> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService retries;
    private boolean closed;

    PendingAborts(S3Client client, String bucket, String storeName) {
        this.client = requireNonNull(client, "client is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.storeName = requireNonNull(storeName, "storeName is null");
    }

    /** Retries the abort of {@code uploadId} of {@code key} until it succeeds. */
    synchronized void add(String key, String uploadId, String location) {
        if (closed) {
            return;
        }
        pending.put(uploadId, new String[] {key, location});
        if (retries == null) {
            retries = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "stowage-s3-" + storeName + "-abort");
                thread.setDaemon(true);
                return thread;
            });
        }
        retries.schedule(() -> attempt(uploadId, FIRST_PAUSE_MILLIS), FIRST_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The uploads still waiting for their abort. */
    int size() {
        return pending.size();
    }

    private void attempt(String uploadId, long pause) {
        if (tryAbort(uploadId)) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                long next = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
                retries.schedule(() -> attempt(uploadId, next), next, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** One abort; true when the upload is gone (aborted now, or unknown to the server: 404 NoSuchUpload). */
    private boolean tryAbort(String uploadId) {
        String[] upload = pending.get(uploadId);
        if (upload == null) {
            return true;
        }
        try {
            client.abortMultipartUpload(request -> request.bucket(bucket).key(upload[0]).uploadId(uploadId));
            LOG.log(System.Logger.Level.INFO, () -> "Aborted multipart upload " + uploadId + " of " + upload[1]
                    + " on a later attempt");
        } catch (RuntimeException e) {
            if (!S3Errors.isStatus(e, 404)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Still cannot abort multipart upload " + uploadId + " of "
                        + upload[1] + ": " + e.getMessage());
                return false;
            }
        }
        pending.remove(uploadId);
        return true;
    }

    /** One last attempt for each, then stops; what is left is logged. Call before the client closes. */
    void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            closed = true;
            running = retries;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        for (String uploadId : pending.keySet()) {
            if (!tryAbort(uploadId)) {
                String[] upload = pending.get(uploadId);
                LOG.log(System.Logger.Level.WARNING, () -> "Store " + storeName + " closes with multipart upload "
                        + uploadId + " of " + upload[1] + " not aborted; it is left in the bucket (a lifecycle rule"
                        + " for incomplete multipart uploads removes it)");
            }
        }
    }
}
