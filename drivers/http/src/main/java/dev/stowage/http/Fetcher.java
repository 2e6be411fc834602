package dev.stowage.http;

import dev.stowage.api.ForbiddenException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.TooManyRedirectsException;

import javax.net.ssl.HttpsURLConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Sends one logical request: checks each host against the guard, follows redirects itself (so it can count them,
 * detect loops, keep query strings and refuse unsafe targets) and translates transport failures. The caller gets the
 * final response with its body still unread and closes it.
 *
 * <p>Requests go out through the JDK's {@link HttpURLConnection}, so that bodies are read with blocking socket reads
 * in the caller's thread. Each connection is set up so that nothing JVM-wide changes what the store checks: redirects
 * are not followed by the JDK, no credentials are ever sent (an {@link Authenticator} that has none), TLS uses the
 * store's own socket factory (host names verified during the handshake, whatever the JVM's default host name
 * verifier) and the store's timeouts.
 */
final class Fetcher {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Answers every request for credentials with none: the store never authenticates (locations hold no secret). */
    private static final Authenticator NO_CREDENTIALS = new Authenticator() {
    };

    private final Settings settings;

    /** What every request of one store shares. */
    record Settings(int maxRedirects, Duration connectTimeout, Duration readTimeout, String userAgent,
                    HostGuard guard, TlsContexts.Tls tls, Proxy proxy) {
        /**
         * @param proxy the proxy of every request, or null for the JVM's default proxy selector
         */
        Settings {
            requireNonNull(connectTimeout, "connectTimeout is null");
            requireNonNull(readTimeout, "readTimeout is null");
            requireNonNull(userAgent, "userAgent is null");
            requireNonNull(guard, "guard is null");
            requireNonNull(tls, "tls is null");
        }
    }

    /** A final (non-redirect) response. Closing it releases the connection. */
    record Response(URI uri, int status, HttpURLConnection connection, Body body, int redirects)
            implements AutoCloseable {

        /** The declared Content-Length, or -1 when there is none (or it is not a number). */
        long contentLength() {
            String value = connection.getHeaderField("Content-Length");
            if (value == null) {
                return -1;
            }
            try {
                long length = Long.parseLong(value.trim());
                return length >= 0 ? length : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(connection.getHeaderField(name));
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

    Fetcher(Settings settings) {
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
            Response response = exchange(current, method, range, action, where, redirects);
            int status = response.status();
            if (!REDIRECTS.contains(status)) {
                return response;
            }
            Optional<String> location = response.header("Location");
            response.close();
            String target = location.orElseThrow(() ->
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

    /** One request and its answer's head; the body is left unread. */
    private Response exchange(URI uri, String method, String range, String action, String where, int redirects) {
        String host = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        HttpURLConnection connection = open(uri, action, where);
        boolean connected = false;
        try {
            connection.setInstanceFollowRedirects(false);
            connection.setAuthenticator(NO_CREDENTIALS);
            // the JDK adds Cache-Control: no-cache without caches: keep the requests plain (no JVM-wide cache is set
            // unless the application sets one)
            connection.setUseCaches(true);
            connection.setConnectTimeout(millis(settings.connectTimeout()));
            connection.setReadTimeout(millis(settings.readTimeout()));
            connection.setRequestMethod(method);
            connection.setRequestProperty("User-Agent", settings.userAgent());
            connection.setRequestProperty("Accept", "*/*");
            connection.setRequestProperty("Accept-Encoding", "identity");
            if (range != null) {
                connection.setRequestProperty("Range", range);
            }
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(settings.tls().socketFactory());
                https.setHostnameVerifier(settings.tls().hostnameVerifier());
            }
            connection.connect();
            connected = true;
            int status = connection.getResponseCode();
            if (status < 100 || status > 999) {
                // the JDK reads an answer without an HTTP status line as HTTP/0.9, status -1
                throw new ServiceUnavailableException("Cannot " + action + ": the answer of " + host
                        + " is not HTTP" + where);
            }
            InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return new Response(uri, status, connection, new Body(connection, body, settings.readTimeout()),
                    redirects);
        } catch (IOException e) {
            connection.disconnect();
            throw HttpErrors.forTransport(action, e, host, where, !connected, proxyHost(),
                    settings.connectTimeout(), settings.readTimeout());
        } catch (RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    private HttpURLConnection open(URI uri, String action, String where) {
        URL url;
        try {
            url = URI.create(uri.toASCIIString()).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new InvalidLocationException("Cannot " + action + ": the HTTP client refuses the URL "
                    + Location.redact(uri) + ": " + e.getMessage() + where, e);
        }
        URLConnection connection;
        try {
            connection = settings.proxy() == null ? url.openConnection() : url.openConnection(settings.proxy());
        } catch (IOException e) {
            throw new StoreIOException("Cannot " + action + ": no connection for " + Location.redact(uri) + ": "
                    + e.getMessage() + where, e);
        }
        if (!(connection instanceof HttpURLConnection http)) {
            throw new StoreIOException("Cannot " + action + ": the JVM's handler for " + uri.getScheme()
                    + " URLs is not an HttpURLConnection (" + connection.getClass().getName() + ")" + where);
        }
        return http;
    }

    /** The configured proxy's host (secret, like the whole option), or null. */
    private String proxyHost() {
        return settings.proxy() != null && settings.proxy().address() instanceof InetSocketAddress address
                ? address.getHostString() : null;
    }

    /** A timeout for HttpURLConnection: whole milliseconds, at least 1 (0 would mean forever). */
    static int millis(Duration duration) {
        if (duration.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(1, duration.toMillis());
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
