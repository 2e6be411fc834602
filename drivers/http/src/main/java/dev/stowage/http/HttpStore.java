package dev.stowage.http;

import dev.stowage.api.AddOptions;
import dev.stowage.api.AddResult;
import dev.stowage.api.ByteRange;
import dev.stowage.api.Capability;
import dev.stowage.api.ImageIds;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.Location;
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.api.StoreClosedException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.spi.Store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A read-only store of {@code http} and {@code https} URLs. Capabilities: {@link Capability#READ} and
 * {@link Capability#RANGE_READ}; {@code add} and {@code delete} fail with {@link OperationNotSupportedException}.
 * Safe for concurrent use: every call has its own request, and reads block in the caller's thread.
 */
final class HttpStore implements Store {
    private static final System.Logger LOG = System.getLogger("dev.stowage.http");
    private static final Set<Capability> CAPABILITIES =
            Collections.unmodifiableSet(EnumSet.of(Capability.READ, Capability.RANGE_READ));
    /** HEAD answers after which {@code size} asks with a one-byte GET instead. */
    private static final Set<Integer> HEAD_REFUSED = Set.of(403, 405, 501);
    /** {@code bytes first-last/total}, {@code bytes first-last/*} or {@code bytes *}{@code /total}; numbers fit a long. */
    private static final Pattern CONTENT_RANGE =
            Pattern.compile("\\s*bytes\\s+(?:(\\d{1,18})-(\\d{1,18})|\\*)/(\\d{1,18}|\\*)\\s*",
                    Pattern.CASE_INSENSITIVE);
    /** The longest location URI accepted. */
    static final int MAX_URI_LENGTH = 8192;

    private final String name;
    private final Fetcher fetcher;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<ObjectStream> open = ConcurrentHashMap.newKeySet();

    HttpStore(String name, Fetcher.Settings settings) {
        this.name = requireNonNull(name, "name is null");
        this.fetcher = new Fetcher(settings);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return HttpStoreDriver.TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public AddResult add(String imageId, InputStream data, long expectedSize, AddOptions options) {
        checkOpen();
        throw new OperationNotSupportedException(Capability.WRITE, "Cannot add " + ImageIds.quote(imageId)
                + " to store " + name + ": http stores are read-only (no " + Capability.WRITE + " capability)");
    }

    @Override
    public void delete(Location location) {
        requireNonNull(location, "location is null");
        checkOpen();
        throw new OperationNotSupportedException(Capability.DELETE, "Cannot delete " + Location.redact(location.uri())
                + " in store " + name + ": http stores are read-only (no " + Capability.DELETE + " capability)");
    }

    @Override
    public Location location(URI uri) {
        checkOpen();
        return Location.of(checkUri(uri), name, metadata());
    }

    @Override
    public InputStream get(Location location, ByteRange range) {
        requireNonNull(location, "location is null");
        requireNonNull(range, "range is null");
        checkOpen();
        URI uri = checkUri(location.uri());
        String action = "read " + uri;
        String header = null;
        if (!range.isAll()) {
            long first = range.offset();
            String last = range.toEnd() ? ""
                    : String.valueOf(range.length() == 0 ? first : first + range.length() - 1);
            // a zero-length range still asks for one byte: the answer says whether the offset is inside the object
            header = "bytes=" + first + "-" + last;
        }
        Fetcher.Response response = fetcher.send(uri, "GET", header, action);
        boolean handedOver = false;
        try {
            ObjectStream stream = switch (response.status()) {
                case 200 -> whole(response, uri, range, action);
                case 206 -> {
                    if (header == null) {
                        throw new StoreIOException("Cannot " + action + ": the server answered "
                                + HttpErrors.status(206) + " to a request without a range" + response.where());
                    }
                    yield partial(response, uri, range, action);
                }
                case 416 -> unsatisfiable(response, uri, range, action);
                default -> throw HttpErrors.forStatus(action, response.status(), response.where());
            };
            handedOver = true;
            return register(stream);
        } finally {
            if (!handedOver) {
                response.close();
            }
        }
    }

    /** A 200 answer: the whole object, also when a range was asked for and the server ignored it. */
    private ObjectStream whole(Fetcher.Response response, URI uri, ByteRange range, String action) {
        long total = response.contentLength();
        if (range.isAll()) {
            return stream(response, action, total, ObjectStream.ShortBody.TRUNCATED, 0);
        }
        LOG.log(System.Logger.Level.INFO, "The server of {0} ignored the Range header (answered HTTP 200);"
                + " skipping {1} bytes on the client", uri, Long.toString(range.offset()));
        if (total >= 0) {
            long count = range.within(total, uri.toString());
            if (count == 0) {
                return stream(response, action, 0, ObjectStream.ShortBody.TRUNCATED, range.offset());
            }
            discard(response, range.offset(), action, total);
            return stream(response, action, count, ObjectStream.ShortBody.TRUNCATED, range.offset());
        }
        discard(response, range.offset(), action, -1);
        return stream(response, action, range.toEnd() ? -1 : range.length(), ObjectStream.ShortBody.PAST_END,
                range.offset());
    }

    /** A 206 answer: checks that the server sent the range asked for. */
    private ObjectStream partial(Fetcher.Response response, URI uri, ByteRange range, String action) {
        String text = response.header("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(text);
        if (!m.matches() || m.group(1) == null) {
            throw new StoreIOException("Cannot " + action + ": the server answered " + HttpErrors.status(206)
                    + " without a valid Content-Range (got '" + text + "')" + response.where());
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        if (first != range.offset() || last < first || (total >= 0 && last >= total)) {
            throw new StoreIOException("Cannot " + action + ": the server sent " + text.trim() + " for range "
                    + range + response.where());
        }
        long sent = last - first + 1;
        long count;
        if (total >= 0) {
            count = range.within(total, uri.toString());
        } else if (range.toEnd()) {
            count = sent;
        } else if (range.length() > sent) {
            throw new InvalidRangeException("Cannot " + action + ": the range " + range
                    + " ends after the end of the object (" + (last + 1) + " bytes)");
        } else {
            count = range.length();
        }
        if (count > sent) {
            throw new StoreIOException("Cannot " + action + ": the server sent " + text.trim() + ", fewer bytes"
                    + " than the range " + range + response.where());
        }
        return stream(response, action, count, ObjectStream.ShortBody.TRUNCATED, range.offset());
    }

    /** A 416 answer: an empty read at the very end of the object, or a range error. */
    private ObjectStream unsatisfiable(Fetcher.Response response, URI uri, ByteRange range, String action) {
        Matcher m = CONTENT_RANGE.matcher(response.header("Content-Range").orElse(""));
        long total = m.matches() && !m.group(3).equals("*") ? Long.parseLong(m.group(3)) : -1;
        String where = response.where();
        response.close();
        if (total < 0) {
            total = sizeOf(uri, action);
        }
        if (total < 0) {
            throw new InvalidRangeException("Cannot " + action + ": the server refused the range " + range + " ("
                    + HttpErrors.status(416) + ")" + where);
        }
        long count = range.within(total, uri.toString());
        if (count != 0) {
            throw new StoreIOException("Cannot " + action + ": the server refused the range " + range + " of an"
                    + " object of " + total + " bytes (" + HttpErrors.status(416) + ")" + where);
        }
        return stream(response, action, 0, ObjectStream.ShortBody.TRUNCATED, range.offset());
    }

    private ObjectStream stream(Fetcher.Response response, String action, long deliver, ObjectStream.ShortBody mode,
                                long offset) {
        ObjectStream[] self = new ObjectStream[1];
        self[0] = new ObjectStream(response.body(), action, deliver, mode, offset, () -> open.remove(self[0]));
        return self[0];
    }

    private InputStream register(ObjectStream stream) {
        open.add(stream);
        if (closed.get()) {
            stream.close();
            throw closedError();
        }
        return stream;
    }

    /** Reads and drops the first {@code count} bytes of a body whose server ignored the Range header. */
    private static void discard(Fetcher.Response response, long count, String action, long total) {
        byte[] scratch = new byte[(int) Math.min(64 << 10, Math.max(count, 1))];
        long skipped = 0;
        try {
            while (skipped < count) {
                int n = response.body().read(scratch, 0, (int) Math.min(scratch.length, count - skipped));
                if (n < 0) {
                    if (total >= 0) {
                        throw new StoreIOException("Cannot " + action + ": the body ended after " + skipped
                                + " bytes of the " + total + " expected; the connection was cut");
                    }
                    throw new InvalidRangeException("Cannot " + action + ": the range starts after the end of the"
                            + " object (" + skipped + " bytes)");
                }
                skipped += n;
            }
        } catch (IOException e) {
            throw HttpErrors.forBody(action, e, skipped);
        }
    }

    /**
     * The size from the Content-Length of a HEAD answer; when HEAD is refused or says no length, from a one-byte
     * GET ({@code Content-Range} total, else Content-Length). {@link Store#UNKNOWN_SIZE} when the server does not
     * say, never 0 for "not said".
     */
    @Override
    public long size(Location location) {
        requireNonNull(location, "location is null");
        checkOpen();
        URI uri = checkUri(location.uri());
        return sizeOf(uri, "get the size of " + uri);
    }

    private long sizeOf(URI uri, String action) {
        try (Fetcher.Response head = fetcher.send(uri, "HEAD", null, action)) {
            if (head.status() == 200) {
                long length = head.contentLength();
                if (length >= 0) {
                    return length;
                }
            } else if (!HEAD_REFUSED.contains(head.status())) {
                throw HttpErrors.forStatus(action, head.status(), head.where());
            }
        }
        try (Fetcher.Response get = fetcher.send(uri, "GET", "bytes=0-0", action)) {
            Matcher m = CONTENT_RANGE.matcher(get.header("Content-Range").orElse(""));
            boolean totalKnown = m.matches() && !m.group(3).equals("*");
            switch (get.status()) {
                case 206:
                    return totalKnown ? Long.parseLong(m.group(3)) : UNKNOWN_SIZE;
                case 200:
                    long length = get.contentLength();
                    return length >= 0 ? length : UNKNOWN_SIZE;
                case 416:
                    // a first byte that is not there: the object is empty
                    return totalKnown ? Long.parseLong(m.group(3)) : 0;
                default:
                    throw HttpErrors.forStatus(action, get.status(), get.where());
            }
        }
    }

    /**
     * Checks a location URI: scheme http or https, a host, no credentials, no fragment, no dot segments or control
     * characters in the path, at most {@value #MAX_URI_LENGTH} characters.
     */
    private URI checkUri(URI uri) {
        requireNonNull(uri, "uri is null");
        if (uri.getScheme() == null) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": the URI has no scheme (expected http://host/path or https://host/path)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!HttpStoreDriver.SCHEMES.contains(scheme)) {
            throw new UnknownSchemeException("Cannot use location " + Location.redact(uri) + ": store " + name
                    + " handles schemes http and https, not " + uri.getScheme());
        }
        // an authority the JDK cannot parse as user@host:port keeps its user info inside a registry-based authority
        String authority = uri.getRawAuthority();
        if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": a location must not carry credentials (user info in the URL)");
        }
        if (uri.isOpaque() || uri.getHost() == null) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": the URL has no valid host (expected " + scheme + "://host/path)");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                    + ": a fragment (#...) is never sent to the server; remove it");
        }
        if (uri.toString().length() > MAX_URI_LENGTH) {
            String shown = Location.redact(uri);
            throw new InvalidLocationException("Cannot use location " + shown.substring(0, Math.min(80, shown.length()))
                    + "...: the URL is longer than " + MAX_URI_LENGTH + " characters");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                        + ": the path holds a '" + segment + "' segment");
            }
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidLocationException("Cannot use location " + Location.redact(uri)
                        + ": the path holds control character " + String.format("U+%04X", (int) c));
            }
        }
        return uri;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw closedError();
        }
    }

    private StoreClosedException closedError() {
        return new StoreClosedException("Cannot use store " + name + ": it is closed");
    }

    /**
     * Closes every stream still open (a read under way fails with {@link StoreClosedException} once its socket read
     * returns). The store has no threads or clients of its own: connections belong to the JDK's keep-alive cache,
     * which closes idle ones after their keep-alive time. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ObjectStream stream : List.copyOf(open)) {
            stream.abort();
        }
        open.clear();
    }

    @Override
    public String toString() {
        return "HttpStore[" + name + "]";
    }
}
