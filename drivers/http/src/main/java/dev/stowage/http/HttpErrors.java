package dev.stowage.http;

import dev.stowage.api.ForbiddenException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.StoreTimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns HTTP statuses and transport failures into Stowage errors, once, at the driver edge (rule S10). Messages read
 * {@code Cannot <action>: <reason>}, where the action names the location (which never holds credentials).
 */
final class HttpErrors {
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"),
            Map.entry(408, "Request Timeout"), Map.entry(410, "Gone"), Map.entry(414, "URI Too Long"),
            Map.entry(416, "Range Not Satisfiable"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private HttpErrors() {
    }

    /** {@code HTTP 404 Not Found}. */
    static String status(int status) {
        String reason = REASONS.get(status);
        return "HTTP " + status + (reason == null ? "" : " " + reason);
    }

    /**
     * The error for a final response status that is not a success: 404 and 410 not-found; 401 and 403 forbidden;
     * 408 timeout; 429 and 5xx service-unavailable (retryable); other 4xx invalid-location; anything else an I/O
     * error.
     *
     * @param where appended to the reason, e.g. {@code " (after 2 redirects, at http://b/x)"}, or empty
     */
    static StoreException forStatus(String action, int status, String where) {
        String prefix = "Cannot " + action + ": ";
        if (status == 404 || status == 410) {
            return new ObjectNotFoundException(prefix + "no such object (" + status(status) + ")" + where);
        }
        if (status == 401 || status == 403) {
            return new ForbiddenException(prefix + "access refused (" + status(status) + ")" + where);
        }
        if (status == 408) {
            return new StoreTimeoutException(prefix + "the server timed out (" + status(status) + ")" + where);
        }
        if (status == 429 || (status >= 500 && status <= 599)) {
            return new ServiceUnavailableException(prefix + "the server is unavailable (" + status(status) + ")"
                    + where);
        }
        if (status >= 400 && status <= 499) {
            return new InvalidLocationException(prefix + "the server rejected the request (" + status(status) + ")"
                    + where);
        }
        return new StoreIOException(prefix + "unexpected answer " + status(status) + where);
    }

    /**
     * The error for a failure to get a response: TLS problems are forbidden (retrying will not help), timeouts are
     * timeouts, everything else is a retryable service-unavailable.
     *
     * @param connecting whether the failure came while the connection was being opened (TCP, proxy tunnel, TLS),
     *                   rather than while the answer's head was awaited
     * @param proxyHost  the host of the configured proxy, or null: the proxy option is secret, so the proxy is never
     *                   named, and its host is masked in the causes the error carries
     */
    static StoreException forTransport(String action, IOException e, String host, String where, boolean connecting,
                                       String proxyHost, Duration connectTimeout, Duration readTimeout) {
        String prefix = "Cannot " + action + ": ";
        Throwable cause = proxyHost == null ? e : Masked.of(e, proxyHost);
        boolean proxy = proxyHost != null && connecting;
        Throwable tls = find(e, SSLHandshakeException.class, CertificateException.class);
        if (tls != null) {
            return new ForbiddenException(prefix + "the TLS handshake with " + host + " failed: "
                    + text(tls, proxyHost) + " (the server's certificate must chain to a trusted authority and match"
                    + " the host name; see the ca-file option)" + where, cause);
        }
        SSLException ssl = (SSLException) find(e, SSLException.class);
        if (ssl != null) {
            return new ServiceUnavailableException(prefix + "TLS failure talking to " + host + ": "
                    + text(ssl, proxyHost) + where, cause);
        }
        Throwable timeout = find(e, SocketTimeoutException.class);
        if (timeout != null) {
            // opening a connection times out with "Connect timed out"; a TLS handshake or a proxy's answer with a
            // read timeout
            String message = timeout.getMessage() == null ? "" : timeout.getMessage().toLowerCase(Locale.ROOT);
            if (connecting && message.contains("connect")) {
                return new StoreTimeoutException(prefix + "no connection to " + (proxy ? "the proxy" : host)
                        + " within " + connectTimeout.toMillis() + " ms (connect-timeout)" + where, cause);
            }
            return new StoreTimeoutException(prefix + "no response from " + host + " within "
                    + readTimeout.toMillis() + " ms (read-timeout)" + where, cause);
        }
        if (find(e, UnknownHostException.class) != null) {
            // through a proxy, only the proxy's name is resolved here
            return new ServiceUnavailableException(prefix + (proxy ? "unknown host of the proxy (option proxy)"
                    : "unknown host " + host) + where, cause);
        }
        Throwable connect = find(e, ConnectException.class, NoRouteToHostException.class);
        if (connect != null) {
            return new ServiceUnavailableException(prefix + "cannot connect to "
                    + (proxy ? "the proxy (option proxy)" : host) + ": " + (connect.getMessage() == null
                    ? "connection refused" : lowerFirst(text(connect, proxyHost))) + where, cause);
        }
        if (e instanceof InterruptedIOException) {
            return new StoreIOException(prefix + "interrupted" + where, cause);
        }
        return new ServiceUnavailableException(prefix + "the connection to " + host + (proxy ? " (through the proxy)"
                : "") + " failed: " + text(e, proxyHost) + where, cause);
    }

    /**
     * A stand-in for a cause whose messages may name the proxy: the same chain, classes and stack traces, with the
     * proxy's host masked.
     */
    static final class Masked extends IOException {
        private static final long serialVersionUID = 1L;
        private final String type;

        private Masked(String type, String message, Throwable cause) {
            super(message, cause);
            this.type = type;
        }

        static Throwable of(Throwable e, String secret) {
            Throwable cause = e.getCause() == null || e.getCause() == e ? null : of(e.getCause(), secret);
            Masked masked = new Masked(e.getClass().getName(), mask(e.getMessage(), secret), cause);
            masked.setStackTrace(e.getStackTrace());
            return masked;
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
    }

    private static String mask(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return Pattern.compile(Pattern.quote(secret), Pattern.CASE_INSENSITIVE).matcher(text).replaceAll("****");
    }

    /** The error for a failure while the body is read, after {@code delivered} bytes. */
    static StoreException forBody(String action, IOException e, long delivered) {
        String prefix = "Cannot " + action + ": ";
        if (e instanceof Body.ReadTimeoutException) {
            return new StoreTimeoutException(prefix + e.getMessage() + " after " + delivered + " bytes", e);
        }
        if (e instanceof InterruptedIOException) {
            return new StoreIOException(prefix + "interrupted after " + delivered + " bytes", e);
        }
        return new StoreIOException(prefix + "the transfer failed after " + delivered + " bytes: " + text(e), e);
    }

    @SafeVarargs
    private static Throwable find(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
        }
        return null;
    }

    /** "Connection refused" reads "connection refused" after a colon. */
    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static String text(Throwable e, String secret) {
        return mask(text(e), secret);
    }

    private static String text(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
