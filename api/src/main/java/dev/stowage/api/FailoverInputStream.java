package dev.stowage.api;

import dev.stowage.api.AllLocationsFailedException.LocationFailure;
import dev.stowage.internal.Redactor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stream {@link Stores#open} returns: reads the first location that works and, when it fails, resumes at the
 * delivered offset on the next one, so the caller sees one stream. Checks the expected size and multihash at the end.
 * Not thread-safe.
 */
final class FailoverInputStream extends InputStream {
    private final List<Location> locations;
    private final Function<Location, Stores.Target> resolver;
    private final long expectedSize;
    private final Multihash expectedMultihash;
    private final MessageDigest digest;
    private final ReadListener listener;
    private final Redactor redactor;
    private final List<LocationFailure> failures = new ArrayList<>();
    private final Set<Location> served = new LinkedHashSet<>();

    private int next;
    private int attempts;
    private InputStream current;
    private ReadAttempt currentAttempt;
    private long delivered;
    private boolean finished;
    private boolean closed;
    private RuntimeException terminal;

    FailoverInputStream(List<Location> locations, Function<Location, Stores.Target> resolver,
                        ExpectedContent expected, ReadListener listener, Redactor redactor) {
        this.locations = List.copyOf(locations);
        this.resolver = resolver;
        this.expectedSize = expected.size().orElse(-1);
        this.expectedMultihash = expected.multihash().orElse(null);
        this.digest = expectedMultihash == null ? null : expectedMultihash.algorithm().newDigest();
        this.listener = listener;
        this.redactor = redactor;
    }

    /** Opens the first location that works; throws {@link AllLocationsFailedException} when none does. */
    void start() {
        if (!advance()) {
            closed = true;
            throw allFailed();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            throw new IOException("Cannot read image from " + describe(locations) + ": the stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        if (terminal != null) {
            throw terminal;
        }
        if (finished) {
            return -1;
        }
        while (true) {
            if (current == null && !advance()) {
                terminal = noLocationLeft();
                throw terminal;
            }
            if (expectedSize >= 0 && delivered == expectedSize) {
                // all expected bytes are delivered: this copy must end here
                int extra;
                try {
                    extra = current.read();
                } catch (IOException | RuntimeException e) {
                    fail(e);
                    continue;
                }
                if (extra < 0) {
                    return finish();
                }
                fail(new SizeMismatchException("Cannot read " + currentAttempt.location().uri()
                        + ": the copy is longer than the expected " + expectedSize + " bytes"));
                continue;
            }
            int want = expectedSize >= 0 ? (int) Math.min(length, expectedSize - delivered) : length;
            int n;
            try {
                n = current.read(buffer, offset, want);
            } catch (IOException | RuntimeException e) {
                fail(e);
                continue;
            }
            if (n > 0) {
                if (digest != null) {
                    digest.update(buffer, offset, n);
                }
                delivered += n;
                served.add(currentAttempt.location());
                return n;
            }
            if (n < 0) {
                if (expectedSize >= 0) {
                    fail(new SizeMismatchException("Cannot read " + currentAttempt.location().uri()
                            + ": the copy ended after " + delivered + " of the expected " + expectedSize + " bytes"));
                    continue;
                }
                return finish();
            }
            // n == 0 for a positive request breaks the InputStream contract; treat it as a failure of this copy
            fail(new StoreIOException("Cannot read " + currentAttempt.location().uri() + " at offset " + delivered
                    + ": the stream returned no bytes without ending"));
        }
    }

    /** The current copy ended where the data ends: verify and report the end. */
    private int finish() {
        ReadAttempt attempt = currentAttempt;
        closeCurrent();
        finished = true;
        notify(() -> listener.succeeded(attempt, delivered));
        log(attempt.number() == 1 ? Level.DEBUG : Level.INFO, "Read image from " + attempt.location() + ": "
                + delivered + " bytes in " + attempt.number() + (attempt.number() == 1 ? " attempt" : " attempts"));
        if (digest != null) {
            Multihash actual = Multihash.of(expectedMultihash.algorithm(), digest.digest());
            if (!actual.equals(expectedMultihash)) {
                terminal = new ChecksumMismatchException("Cannot read image from " + describe(served)
                        + ": multihash mismatch: expected " + expectedMultihash + ", got " + actual);
                log(Level.WARNING, terminal.getMessage());
                throw terminal;
            }
        }
        return -1;
    }

    /** Opens the next location that works at the delivered offset; false when none is left. */
    private boolean advance() {
        while (next < locations.size()) {
            Location location = locations.get(next++);
            ReadAttempt attempt = new ReadAttempt(++attempts, location, delivered);
            currentAttempt = attempt;
            notify(() -> listener.started(attempt));
            log(delivered == 0 && attempt.number() == 1 ? Level.DEBUG : Level.INFO, (delivered == 0
                    ? "Reading image from " : "Resuming image read at offset " + delivered + " from ")
                    + location + " (attempt " + attempt.number() + " of " + locations.size() + ")");
            try {
                Stores.Target target = resolver.apply(location);
                if (delivered > 0 && !target.store().capabilities().contains(Capability.RANGE_READ)) {
                    throw new OperationNotSupportedException(Capability.RANGE_READ, "Cannot read " + location.uri()
                            + " from offset " + delivered + ": store " + target.store().name() + " does not support "
                            + Capability.RANGE_READ + ", so it can serve this image only from offset 0");
                }
                InputStream in = target.store().get(target.location(),
                        delivered == 0 ? ByteRange.all() : ByteRange.from(delivered));
                if (in == null) {
                    throw new StoreIOException("Cannot read " + location.uri() + ": the store returned no stream");
                }
                current = in;
                return true;
            } catch (RuntimeException e) {
                fail(e);
            }
        }
        return false;
    }

    /** Records the failure of the current attempt and closes its stream. */
    private void fail(Throwable error) {
        ReadAttempt attempt = currentAttempt;
        closeCurrent();
        StoreException storeError = error instanceof StoreException known && !redactor.leaks(error) ? known
                : new StoreIOException("Cannot read " + attempt.location().uri() + " at offset " + delivered + ": "
                + redactor.describe(error), redactor.safeOrNull(error));
        failures.add(new LocationFailure(attempt.location(), storeError));
        long reached = delivered;
        notify(() -> listener.failed(attempt, reached, storeError));
        log(Level.WARNING, "Read attempt " + attempt.number() + " of " + locations.size() + " failed at "
                + attempt.location() + " (started at offset " + attempt.offset() + ", reached " + reached + "): ["
                + storeError.errorCode().code() + "] " + storeError.getMessage()
                + (next < locations.size() ? "; trying the next location" : "; no location left"));
    }

    /**
     * The error once every location was tried during the read. When the last copy failed the size check, the size is
     * what is wrong (the expected size, or every copy): that is reported as a {@link SizeMismatchException}, with
     * every attempt in its cause.
     */
    private StoreException noLocationLeft() {
        AllLocationsFailedException all = allFailed();
        StoreException last = failures.isEmpty() ? null : failures.get(failures.size() - 1).error();
        if (last instanceof SizeMismatchException) {
            return new SizeMismatchException("Cannot read image from " + describe(served) + ": no location "
                    + "delivered the expected " + expectedSize + " bytes (" + delivered + " bytes delivered); last: "
                    + last.getMessage(), all);
        }
        return all;
    }

    private AllLocationsFailedException allFailed() {
        AllLocationsFailedException error = new AllLocationsFailedException(failures);
        log(Level.WARNING, error.getMessage());
        return error;
    }

    private void closeCurrent() {
        InputStream stream = current;
        current = null;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException | RuntimeException e) {
                log(Level.DEBUG, "Closing the stream of " + currentAttempt.location() + " failed: "
                        + redactor.describe(e));
            }
        }
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log(Level.WARNING, "Read listener " + listener.getClass().getName() + " threw, ignored: "
                    + redactor.describe(e));
        }
    }

    private void log(Level level, String message) {
        Stores.log(level, message, redactor);
    }

    private static String describe(java.util.Collection<Location> locations) {
        return locations.isEmpty() ? "no location"
                : locations.stream().map(location -> location.uri().toString()).collect(Collectors.joining(", "));
    }

    @Override
    public int available() {
        if (current == null || closed || finished) {
            return 0;
        }
        try {
            int available = current.available();
            return expectedSize >= 0 ? (int) Math.min(available, expectedSize - delivered) : available;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeCurrent();
        }
    }
}
