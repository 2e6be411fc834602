package dev.stowage.http;

import dev.stowage.api.ForbiddenException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.TooManyRedirectsException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Sends one logical request: checks each host against the guard, follows redirects itself (so it can count them,
 * detect loops, keep query strings and refuse unsafe targets) and translates transport failures. The caller gets the
 * final response with its body still unread and closes it.
 */
final class Fetcher {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient client;
    private final Settings settings;

    /** What every request of one store shares. */
    record Settings(int maxRedirects, Duration connectTimeout, Duration readTimeout, String userAgent,
                    HostGuard guard) {
        Settings {
            requireNonNull(connectTimeout, "connectTimeout is null");
            requireNonNull(readTimeout, "readTimeout is null");
            requireNonNull(userAgent, "userAgent is null");
            requireNonNull(guard, "guard is null");
        }
    }

    /** A final (non-redirect) response. Closing it releases the connection. */
    record Response(URI uri, int status, HttpHeaders headers, StreamingBody body, int redirects)
            implements AutoCloseable {

        /** The declared Content-Length, or -1 when there is none (or it is not a number). */
        long contentLength() {
            try {
                OptionalLong length = headers.firstValueAsLong("Content-Length");
                return length.isPresent() && length.getAsLong() >= 0 ? length.getAsLong() : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** Where the answer came from, for messages: empty unless the request was redirected. */
        String where() {
            return redirects == 0 ? "" : " (after " + redirects + " redirect" + (redirects == 1 ? "" : "s") + ", from "
                    + Location.redact(uri) + ")";
        }

        @Override
        public void close() {
            body.close();
        }
    }

    Fetcher(HttpClient client, Settings settings) {
        this.client = requireNonNull(client, "client is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Sends {@code method} to {@code start}, following redirects.
     *
     * @param range  the Range header value, or null
     * @param action for messages, e.g. {@code read http://host/image}
     */
    Response send(URI start, String method, String range, String action) {
        URI current = start;
        List<URI> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        chain.add(start);
        seen.add(key(start));
        for (int redirects = 0; ; redirects++) {
            String where = redirects == 0 ? "" : " (redirected to " + Location.redact(current) + ")";
            checkHost(current, action, where);
            HttpResponse<java.io.InputStream> response = exchange(current, method, range, action, where);
            StreamingBody body = (StreamingBody) response.body();
            int status = response.statusCode();
            if (!REDIRECTS.contains(status)) {
                return new Response(current, status, response.headers(), body, redirects);
            }
            body.close();
            String target = response.headers().firstValue("Location").orElseThrow(() ->
                    new InvalidLocationException("Cannot " + action + ": " + HttpErrors.status(status)
                            + " without a Location header" + where));
            URI next = redirectTarget(current, target, action, where);
            if (!seen.add(key(next))) {
                chain.add(next);
                throw new TooManyRedirectsException("Cannot " + action + ": redirect loop " + show(chain));
            }
            chain.add(next);
            if (redirects == settings.maxRedirects()) {
                throw new TooManyRedirectsException("Cannot " + action + ": more than " + settings.maxRedirects()
                        + " redirects (max-redirects): " + show(chain));
            }
            current = next;
        }
    }

    private void checkHost(URI uri, String action, String where) {
        try {
            Optional<String> refusal = settings.guard().refusal(uri.getHost());
            if (refusal.isPresent()) {
                throw new ForbiddenException("Cannot " + action + ": " + refusal.get() + where);
            }
        } catch (UnknownHostException e) {
            throw new ServiceUnavailableException("Cannot " + action + ": unknown host " + uri.getHost() + where, e);
        }
    }

    private HttpResponse<java.io.InputStream> exchange(URI uri, String method, String range, String action,
                                                       String where) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw new InvalidLocationException("Cannot " + action + ": the HTTP client refuses the URL "
                    + Location.redact(uri) + ": " + e.getMessage() + where, e);
        }
        request.method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(settings.readTimeout())
                .header("User-Agent", settings.userAgent())
                .header("Accept-Encoding", "identity");
        if (range != null) {
            request.header("Range", range);
        }
        try {
            return client.send(request.build(), info -> new StreamingBody(settings.readTimeout()));
        } catch (IOException e) {
            String host = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
            throw HttpErrors.forTransport(action, e, host, where, settings.connectTimeout(),
                    settings.readTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreIOException("Cannot " + action + ": interrupted" + where, e);
        }
    }

    /**
     * The URI a Location header points to, resolved against the request's URI (RFC 3986 section 5, including a
     * reference that is only a query), without a fragment. Refuses what a location may not be: another scheme,
     * credentials, no host, or a step down from https to http.
     */
    static URI redirectTarget(URI base, String location, String action, String where) {
        URI target;
        try {
            target = resolve(base, location.trim());
        } catch (URISyntaxException e) {
            throw new InvalidLocationException("Cannot " + action + ": the server redirected to an invalid URL ("
                    + e.getReason() + ")" + where, e);
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidLocationException("Cannot " + action + ": the server redirected to "
                    + Location.redact(target) + ", which is not an http or https URL" + where);
        }
        if (target.getRawUserInfo() != null) {
            throw new InvalidLocationException("Cannot " + action + ": the server redirected to "
                    + Location.redact(target) + ", a URL with credentials; refused" + where);
        }
        if (target.getHost() == null) {
            throw new InvalidLocationException("Cannot " + action + ": the server redirected to "
                    + Location.redact(target) + ", which has no host" + where);
        }
        if (base.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw new InvalidLocationException("Cannot " + action + ": the server redirected from https to "
                    + Location.redact(target) + "; a step down to plain http is refused" + where);
        }
        return target;
    }

    static URI resolve(URI base, String reference) throws URISyntaxException {
        URI ref = new URI(reference);
        String result;
        if (ref.isOpaque()) {
            result = ref.toString();
        } else if (ref.getScheme() == null && ref.getRawAuthority() == null
                && (ref.getRawPath() == null || ref.getRawPath().isEmpty())) {
            // only a query (or nothing): same path; the reference's query, else the base's (RFC 3986 5.2.2)
            String query = ref.getRawQuery() != null ? ref.getRawQuery() : base.getRawQuery();
            result = base.getScheme() + "://" + base.getRawAuthority() + base.getRawPath()
                    + (query == null ? "" : "?" + query);
        } else {
            URI from = base.getRawPath() == null || base.getRawPath().isEmpty()
                    ? new URI(base.getScheme() + "://" + base.getRawAuthority() + "/") : base;
            result = from.resolve(ref).toString();
        }
        int hash = result.indexOf('#');
        return new URI(hash < 0 ? result : result.substring(0, hash));
    }

    private static String key(URI uri) {
        URI normal = uri.normalize();
        String scheme = normal.getScheme() == null ? "" : normal.getScheme().toLowerCase(Locale.ROOT);
        String host = normal.getHost() == null ? "" : normal.getHost().toLowerCase(Locale.ROOT);
        int port = normal.getPort() >= 0 ? normal.getPort() : scheme.equals("https") ? 443 : 80;
        String path = normal.getRawPath() == null || normal.getRawPath().isEmpty() ? "/" : normal.getRawPath();
        return scheme + "://" + host + ":" + port + path + (normal.getRawQuery() == null ? "" : "?"
                + normal.getRawQuery());
    }

    private static String show(List<URI> chain) {
        return chain.stream().map(Location::redact).collect(Collectors.joining(" -> "));
    }
}
