package dev.stowage.api;

import dev.stowage.internal.ChunkPipe;
import dev.stowage.internal.Redactor;
import dev.stowage.spi.Store;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One fan-out add: reads the caller's data once, on the calling thread, and feeds each store through its own
 * {@link ChunkPipe} on its own thread.
 *
 * <p>Memory: each pipe holds at most {@code chunksPerStore} chunks of {@code chunkSize} bytes, and chunks are shared
 * between pipes, so at most about {@code (chunksPerStore + 2) * stores} chunks exist at once whatever the image size.
 * The producer waits for the slowest live store; a store that finishes or fails detaches its pipe, so it never holds
 * the others up, and once no store wants data the producer stops reading.
 */
final class FanOut {
    static final int CHUNK_SIZE = 64 * 1024;
    static final int CHUNKS_PER_STORE = 4;

    private final String imageId;
    private final List<Lane> lanes = new ArrayList<>();
    private final long size;
    private final AddOptions options;
    private final FanOutMode mode;
    private final Redactor redactor;
    private final int chunkSize;
    private final AtomicBoolean aborted = new AtomicBoolean();

    /** One store's side: its pipe, its thread and how its add ended. */
    private final class Lane implements Runnable {
        final String name;
        final Store store;
        final ChunkPipe pipe;
        final Thread thread;
        volatile AddResult result;
        volatile StoreException error;
        volatile boolean cancelled;

        Lane(String name, Store store, int chunksPerStore) {
            this.name = name;
            this.store = store;
            this.pipe = new ChunkPipe(chunksPerStore);
            this.thread = new Thread(this, "stowage-add-" + name);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                result = store.add(imageId, pipe.source(), size, options);
                if (result == null) {
                    error = new StoreIOException("Cannot add image " + imageId + " to store " + name
                            + ": the store returned no result");
                }
            } catch (StoreException e) {
                error = e;
            } catch (RuntimeException | Error e) {
                error = new StoreIOException("Cannot add image " + imageId + " to store " + name + ": "
                        + redactor.describe(e), redactor.safeOrNull(e));
            } finally {
                pipe.detach();
            }
            if (error != null && !cancelled) {
                Stores.log(Level.WARNING, "Fan-out add of image " + imageId + " failed in store " + name + ": ["
                        + error.errorCode().code() + "] " + error.getMessage(), redactor);
                if (mode == FanOutMode.ALL_MUST_SUCCEED) {
                    abort("store " + name + " failed");
                }
            }
        }
    }

    FanOut(String imageId, Map<String, Store> targets, long size, AddOptions options, FanOutMode mode,
           Redactor redactor, int chunkSize, int chunksPerStore) {
        this.imageId = imageId;
        this.size = size;
        this.options = options;
        this.mode = mode;
        this.redactor = redactor;
        this.chunkSize = chunkSize;
        targets.forEach((name, store) -> lanes.add(new Lane(name, store, chunksPerStore)));
    }

    /** Cancels every lane that still takes data. */
    private void abort(String reason) {
        if (!aborted.compareAndSet(false, true)) {
            return;
        }
        for (Lane lane : lanes) {
            if (lane.pipe.accepting()) {
                lane.cancelled = true;
                lane.pipe.fail(new IOException("add cancelled: " + reason));
            }
        }
    }

    FanOutResult run(InputStream data) {
        Stores.log(Level.DEBUG, "Fan-out add of image " + imageId + " to " + names(lanes) + " (" + mode + ")",
                redactor);
        lanes.forEach(lane -> lane.thread.start());
        long total = 0;
        boolean reachedEnd = false;
        boolean interrupted = false;
        try {
            while (anyAccepting()) {
                byte[] buffer = new byte[chunkSize];
                int n = data.readNBytes(buffer, 0, chunkSize);
                if (n > 0) {
                    total += n;
                    ChunkPipe.Chunk chunk = new ChunkPipe.Chunk(buffer, n);
                    for (Lane lane : lanes) {
                        lane.pipe.put(chunk);
                    }
                }
                if (n < chunkSize) {
                    reachedEnd = true;
                    break;
                }
            }
            lanes.forEach(lane -> lane.pipe.end());
        } catch (InterruptedException e) {
            interrupted = true;
            abort("the adding thread was interrupted");
        } catch (IOException | RuntimeException e) {
            String reason = "Cannot read the data of image " + imageId + ": " + redactor.describe(e);
            Stores.log(Level.WARNING, reason, redactor);
            IOException failure = new IOException(reason, redactor.safeOrNull(e));
            aborted.set(true); // every store fails for the same reason: none of them is "cancelled"
            lanes.forEach(lane -> lane.pipe.fail(failure));
        }
        interrupted |= joinAll();

        Map<String, AddResult> added = new LinkedHashMap<>();
        Map<String, StoreException> failed = new LinkedHashMap<>();
        Map<String, StoreException> cancelled = new LinkedHashMap<>();
        for (Lane lane : lanes) {
            AddResult result = lane.result;
            if (result != null) {
                if (reachedEnd && result.bytesWritten() == total) {
                    added.put(lane.name, result);
                } else {
                    // the store stopped before the end of the data and still claims success: do not trust the copy
                    failed.put(lane.name, new SizeMismatchException("Cannot add image " + imageId + " to store "
                            + lane.name + ": the store wrote " + result.bytesWritten() + " bytes but "
                            + (reachedEnd ? "the data had " + total : "more than " + total + " were read")));
                    List<StoreException> problems = new ArrayList<>();
                    remove(Map.of(lane.name, result), problems);
                }
            } else if (lane.cancelled) {
                cancelled.put(lane.name, lane.error);
            } else {
                failed.put(lane.name, lane.error);
            }
        }

        if (interrupted) {
            List<StoreException> problems = new ArrayList<>();
            remove(added, problems);
            Thread.currentThread().interrupt();
            StoreIOException error = new StoreIOException("Cannot add image " + imageId + " to " + names(lanes)
                    + ": interrupted; the copies written were removed");
            problems.forEach(error::addSuppressed);
            throw error;
        }
        if (mode == FanOutMode.ALL_MUST_SUCCEED && (!failed.isEmpty() || !cancelled.isEmpty())) {
            List<StoreException> problems = new ArrayList<>();
            remove(added, problems);
            AddFailedException error = new AddFailedException(imageId, failed.isEmpty() ? cancelled : failed);
            problems.forEach(error::addSuppressed);
            throw error;
        }
        if (added.isEmpty()) {
            Map<String, StoreException> all = new LinkedHashMap<>(failed);
            all.putAll(cancelled);
            throw new AddFailedException(imageId, all);
        }
        failed.putAll(cancelled);
        FanOutResult outcome = new FanOutResult(imageId, added, failed);
        Stores.log(failed.isEmpty() ? Level.DEBUG : Level.INFO, "Fan-out add of image " + imageId + ": " + total
                + " bytes read once; " + outcome, redactor);
        return outcome;
    }

    private boolean anyAccepting() {
        for (Lane lane : lanes) {
            if (lane.pipe.accepting()) {
                return true;
            }
        }
        return false;
    }

    /** Waits for every lane; on interrupt cancels them and still waits. Returns whether the thread was interrupted. */
    private boolean joinAll() {
        boolean interrupted = false;
        for (Lane lane : lanes) {
            while (true) {
                try {
                    lane.thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    abort("the adding thread was interrupted");
                }
            }
        }
        return interrupted;
    }

    /** Deletes the copies; what cannot be deleted is logged and collected. */
    private void remove(Map<String, AddResult> copies, List<StoreException> problems) {
        copies.forEach((name, result) -> {
            Store store = lanes.stream().filter(lane -> lane.name.equals(name)).findFirst().orElseThrow().store;
            try {
                store.delete(result.location());
                Stores.log(Level.INFO, "Removed the copy of image " + imageId + " at " + result.location()
                        + " after the fan-out add failed", redactor);
            } catch (RuntimeException e) {
                StoreException problem = e instanceof StoreException storeError && !redactor.leaks(e) ? storeError
                        : new StoreIOException("Cannot delete " + result.location().uri() + ": "
                        + redactor.describe(e), redactor.safeOrNull(e));
                problems.add(problem);
                Stores.log(Level.WARNING, "Cannot remove the copy of image " + imageId + " at "
                        + result.location() + " after the fan-out add failed; remove it by hand: "
                        + problem.getMessage(), redactor);
            }
        });
    }

    private static String names(List<Lane> lanes) {
        List<String> names = new ArrayList<>();
        lanes.forEach(lane -> names.add(lane.name));
        return "stores " + String.join(", ", names);
    }
}
