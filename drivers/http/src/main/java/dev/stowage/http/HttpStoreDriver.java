package dev.stowage.http;

import dev.stowage.api.ConfigurationException;
import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code http} driver: a read-only store of {@code http} and {@code https} URLs on the JDK's
 * {@code HttpURLConnection}, read with blocking I/O in the caller's thread. Reads
 * whole objects and byte ranges, follows redirects itself, verifies TLS by default and can guard against
 * server-side request forgery with host allow and deny lists. See the module's README for the options.
 */
public final class HttpStoreDriver implements StoreDriver {
    static final String TYPE = "http";
    static final Set<String> SCHEMES = Set.of("http", "https");

    private static final System.Logger LOG = System.getLogger("dev.stowage.http");
    private static final OptionType<List<HostRule>> HOSTS =
            OptionType.of("hosts", HostRule::parseList, HostRule::formatList);

    static final Option<Integer> MAX_REDIRECTS = Option.builder("max-redirects", OptionType.INT)
            .defaultValue(5)
            .constraint(n -> n >= 0 && n <= 20, "must be 0 to 20")
            .description("Redirects (301, 302, 303, 307, 308) followed per request; one more fails with"
                    + " too-many-redirects, a loop fails at once")
            .build();
    static final Option<Path> CA_FILE = Option.builder("ca-file", OptionType.PATH)
            .description("PEM file of the certificate authorities trusted for https, in place of the JDK's trust"
                    + " store")
            .build();
    static final Option<Boolean> INSECURE = Option.builder("insecure", OptionType.BOOLEAN)
            .defaultValue(false)
            .description("Accept any TLS certificate for any host name; logs a warning. For tests only")
            .build();
    static final Option<Duration> CONNECT_TIMEOUT = Option.builder("connect-timeout", OptionType.DURATION)
            .defaultValue(Duration.ofSeconds(10))
            .constraint(d -> !d.isNegative() && !d.isZero(), "must be positive")
            .description("Longest wait to open a connection")
            .build();
    static final Option<Duration> READ_TIMEOUT = Option.builder("read-timeout", OptionType.DURATION)
            .defaultValue(Duration.ofSeconds(30))
            .constraint(d -> !d.isNegative() && !d.isZero(), "must be positive")
            .description("Longest wait for the response headers, and for each next piece of the body")
            .build();
    static final Option<URI> PROXY = Option.builder("proxy", OptionType.URI_TYPE)
            .secret()
            .description("HTTP proxy for every request, http://host:port (https goes through it with CONNECT)."
                    + " Shown masked, as proxy URLs often hold credentials (which are refused)")
            .build();
    static final Option<List<HostRule>> ALLOW_HOSTS = Option.builder("allow-hosts", HOSTS)
            .defaultValue(List.of())
            .description("SSRF guard: when set, only these hosts may be read: names, *.domain, IP addresses,"
                    + " CIDR networks, or loopback, link-local, private, unspecified")
            .build();
    static final Option<List<HostRule>> DENY_HOSTS = Option.builder("deny-hosts", HOSTS)
            .defaultValue(List.of())
            .description("SSRF guard: hosts never read, same forms as allow-hosts; checked against every address"
                    + " a name resolves to, on every redirect; wins over allow-hosts")
            .build();
    static final Option<String> USER_AGENT = Option.builder("user-agent", OptionType.STRING)
            .defaultValue("stowage-http")
            .constraint(s -> !s.isBlank() && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
                    "must be printable ASCII")
            .description("User-Agent header of every request")
            .build();

    private static final List<Option<?>> OPTIONS = List.of(MAX_REDIRECTS, CA_FILE, INSECURE, CONNECT_TIMEOUT,
            READ_TIMEOUT, PROXY, ALLOW_HOSTS, DENY_HOSTS, USER_AGENT);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public List<Option<?>> options() {
        return OPTIONS;
    }

    @Override
    public Store create(StoreConfig config) {
        String store = config.storeName();
        Optional<Path> caFile = config.find(CA_FILE);
        boolean insecure = config.get(INSECURE);
        if (insecure && caFile.isPresent()) {
            throw new ConfigurationException(config.key(INSECURE), "Cannot configure store " + store + ": option '"
                    + config.key(INSECURE) + "' and option '" + config.key(CA_FILE) + "' exclude each other");
        }
        TlsContexts.Tls tls = tls(config, caFile, insecure);
        Proxy proxy = config.find(PROXY).map(uri -> new Proxy(Proxy.Type.HTTP, proxyAddress(config, uri)))
                .orElse(null);
        HostGuard guard = new HostGuard(config.get(ALLOW_HOSTS), config.get(DENY_HOSTS));
        Fetcher.Settings settings = new Fetcher.Settings(config.get(MAX_REDIRECTS), config.get(CONNECT_TIMEOUT),
                config.get(READ_TIMEOUT), config.get(USER_AGENT), guard, tls, proxy);
        return new HttpStore(store, settings);
    }

    private static TlsContexts.Tls tls(StoreConfig config, Optional<Path> caFile, boolean insecure) {
        String store = config.storeName();
        if (insecure) {
            LOG.log(System.Logger.Level.WARNING, "Store " + store + ": TLS verification is OFF ("
                    + config.key(INSECURE) + "=true). Any server can pose as any https host, and anyone on the"
                    + " network path can read and change the images this store reads. Use "
                    + config.key(CA_FILE) + " instead.");
            try {
                return TlsContexts.Tls.unverified(TlsContexts.insecure());
            } catch (GeneralSecurityException e) {
                throw new ConfigurationException(config.key(INSECURE), "Cannot configure store " + store
                        + ": no TLS context: " + e.getMessage(), e);
            }
        }
        if (caFile.isPresent()) {
            try {
                return TlsContexts.Tls.verified(TlsContexts.trusting(caFile.get()));
            } catch (TlsContexts.CaFileException e) {
                throw new ConfigurationException(config.key(CA_FILE), "Cannot configure store " + store
                        + ": option '" + config.key(CA_FILE) + "' names " + caFile.get() + ": " + e.getMessage(),
                        e);
            }
        }
        try {
            return TlsContexts.Tls.verified(TlsContexts.verifying());
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(store, "Cannot configure store " + store
                    + ": the JDK's default TLS context is not available: " + e.getMessage(), e);
        }
    }

    private static InetSocketAddress proxyAddress(StoreConfig config, URI proxy) {
        String key = config.key(PROXY);
        String problem = null;
        if (proxy.getRawUserInfo() != null) {
            problem = "credentials in the proxy URL are not supported";
        } else if (!"http".equals(proxy.getScheme().toLowerCase(Locale.ROOT))) {
            problem = "the proxy must be an http:// URL";
        } else if (proxy.getHost() == null) {
            problem = "it has no host";
        } else if (proxy.getRawPath() != null && !proxy.getRawPath().isEmpty() && !proxy.getRawPath().equals("/")
                || proxy.getRawQuery() != null || proxy.getRawFragment() != null) {
            problem = "expected http://host:port, without path or query";
        }
        if (problem != null) {
            // the option is secret: its value is never shown, not even with the user info masked (as StoreConfig)
            throw new ConfigurationException(key, "Cannot configure store " + config.storeName() + ": option '"
                    + key + "' has invalid value ****: " + problem);
        }
        int port = proxy.getPort() >= 0 ? proxy.getPort() : 80;
        return InetSocketAddress.createUnresolved(proxy.getHost(), port);
    }
}
