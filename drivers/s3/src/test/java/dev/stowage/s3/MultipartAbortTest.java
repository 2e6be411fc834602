package dev.stowage.s3;

import dev.stowage.api.AddOptions;
import dev.stowage.api.StoreIOException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.stowage.s3.TestData.MIB;
import static dev.stowage.s3.TestData.bytes;
import static dev.stowage.spi.Store.UNKNOWN_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Any failure in the middle of a multipart upload aborts it (rule S4): afterwards ListMultipartUploads (through the raw
 * SDK client) shows no upload in progress, the bucket lists no object and HeadObject of the key answers 404. Each
 * test first checks that the upload really was open when the failure struck, so the emptiness afterwards means
 * something.
 */
class MultipartAbortTest {
    private static final S3ProxyServer SERVER = S3ProxyServer.shared();

    private Store store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private Store open(String bucket) {
        store = SERVER.open("images", bucket, Map.of("part-size", "5MiB", "large-object-threshold", "5MiB",
                "upload-concurrency", "2"));
        return store;
    }

    @Test
    void aSourceStreamThatBreaksMidwayAbortsTheUpload() {
        String bucket = SERVER.newBucket();
        Store store = open(bucket);
        byte[] data = bytes(20 * MIB, 1);
        AtomicReference<java.util.List<String>> openUploads = new AtomicReference<>();
        AtomicReference<Integer> partsStored = new AtomicReference<>();
        InputStream breaking = TestData.actingAt(data, 12 * MIB, () -> {
            openUploads.set(SERVER.uploads(bucket));
            partsStored.set(SERVER.admin().listMultipartUploads(request -> request.bucket(bucket)).uploads().stream()
                    .mapToInt(upload -> SERVER.admin().listParts(request -> request.bucket(bucket).key(upload.key())
                            .uploadId(upload.uploadId())).parts().size()).sum());
            throw new IOException("simulated network failure of the source");
        });

        assertThatThrownBy(() -> store.add("broken", breaking, UNKNOWN_SIZE, AddOptions.defaults()))
                .isInstanceOf(StoreIOException.class)
                .hasMessage("Cannot add s3://" + bucket + "/broken: reading the data failed: simulated network"
                        + " failure of the source")
                .hasCauseInstanceOf(IOException.class);

        assertThat(openUploads.get()).as("uploads in progress when the stream broke").containsExactly("broken");
        // reading part 3 needs part 1's buffer back (2 buffers at most), so part 1 was stored when the stream broke
        assertThat(partsStored.get()).as("parts stored when the stream broke").isPositive();
        assertThat(SERVER.uploads(bucket)).as("uploads in progress afterwards").isEmpty();
        assertThat(SERVER.keys(bucket)).as("objects afterwards").isEmpty();
        assertThat(SERVER.headStatus(bucket, "broken")).as("HeadObject of the key afterwards").isEqualTo(404);
    }

    @Test
    void aBreakWithAKnownSizeAbortsTheUploadToo() {
        String bucket = SERVER.newBucket();
        Store store = open(bucket);
        byte[] data = bytes(16 * MIB, 2);
        AtomicReference<java.util.List<String>> openUploads = new AtomicReference<>();
        InputStream breaking = TestData.actingAt(data, 11 * MIB, () -> {
            openUploads.set(SERVER.uploads(bucket));
            throw new IOException("connection reset by peer");
        });

        assertThatThrownBy(() -> store.add("broken", breaking, data.length, AddOptions.defaults()))
                .isInstanceOf(StoreIOException.class)
                .hasMessageEndingWith(": reading the data failed: connection reset by peer");

        assertThat(openUploads.get()).containsExactly("broken");
        assertThat(SERVER.uploads(bucket)).isEmpty();
        assertThat(SERVER.keys(bucket)).isEmpty();
        assertThat(SERVER.headStatus(bucket, "broken")).as("HeadObject of the key afterwards").isEqualTo(404);
    }

    @Test
    void interruptingTheAddingThreadAbortsTheUploadAndKeepsTheInterrupt() throws Exception {
        String bucket = SERVER.newBucket();
        Store store = open(bucket);
        byte[] data = bytes(20 * MIB, 3);
        CountDownLatch stuck = new CountDownLatch(1);
        AtomicReference<java.util.List<String>> openUploads = new AtomicReference<>();
        InputStream slow = TestData.actingAt(data, 7 * MIB, () -> {
            openUploads.set(SERVER.uploads(bucket));
            stuck.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for data");
            }
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread adder = new Thread(() -> {
            try {
                store.add("interrupted", slow, UNKNOWN_SIZE, AddOptions.defaults());
            } catch (Throwable e) {
                failure.set(e);
            }
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        adder.start();
        assertThat(stuck.await(30, TimeUnit.SECONDS)).isTrue();

        adder.interrupt();
        adder.join(30_000);

        assertThat(adder.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(StoreIOException.class)
                .hasMessage("Cannot add s3://" + bucket + "/interrupted: reading the data failed: interrupted while"
                        + " waiting for data");
        assertThat(interruptKept).as("the thread's interrupt flag survives the abort").isTrue();
        assertThat(openUploads.get()).containsExactly("interrupted");
        assertThat(SERVER.uploads(bucket)).isEmpty();
        assertThat(SERVER.keys(bucket)).isEmpty();
        assertThat(SERVER.headStatus(bucket, "interrupted")).as("HeadObject of the key afterwards").isEqualTo(404);
    }

    @Test
    void aPartThatS3RefusesFailsTheAddAndLeavesNothing() {
        // someone aborts our upload behind our back: the next part fails with NoSuchUpload
        String bucket = SERVER.newBucket();
        Store store = open(bucket);
        byte[] data = bytes(20 * MIB, 4);
        InputStream sabotaged = TestData.actingAt(data, 11 * MIB, () -> SERVER.admin()
                .listMultipartUploads(request -> request.bucket(bucket)).uploads()
                .forEach(upload -> SERVER.admin().abortMultipartUpload(request -> request.bucket(bucket)
                        .key(upload.key()).uploadId(upload.uploadId()))));

        assertThatThrownBy(() -> store.add("sabotaged", sabotaged, UNKNOWN_SIZE, AddOptions.defaults()))
                .isInstanceOf(StoreIOException.class)
                .hasMessageStartingWith("Cannot add s3://" + bucket + "/sabotaged: the multipart upload was aborted"
                        + " while it was being written (HTTP 404 NoSuchUpload");

        assertThat(SERVER.uploads(bucket)).isEmpty();
        assertThat(SERVER.keys(bucket)).isEmpty();
        assertThat(SERVER.headStatus(bucket, "sabotaged")).as("HeadObject of the key afterwards").isEqualTo(404);
    }
}
