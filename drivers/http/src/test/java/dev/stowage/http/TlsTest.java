package dev.stowage.http;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.ForbiddenException;
import dev.stowage.api.StoreException;
import dev.stowage.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.stowage.http.TestStores.bytes;
import static dev.stowage.http.TestStores.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS against an https server with a self-signed certificate for {@code localhost}, made in the test with the running
 * JDK's keytool: refused by default, trusted with its PEM as {@code ca-file}, accepted by {@code insecure=true}.
 */
class TlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final byte[] DATA = bytes(20_000, 4);

    @TempDir
    static Path dir;
    private static Path caFile;
    private static ScriptedServer server;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        caFile = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        // the certificate is its own authority: its PEM is the CA file
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getCertificate("server").getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Files.writeString(caFile, pem);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        server = ScriptedServer.https(context).on("/image", exchange -> ScriptedServer.send(exchange, 200, DATA));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI localhost() {
        return URI.create("https://localhost:" + server.port() + "/image");
    }

    @Test
    void aSelfSignedServerIsRefusedByDefault() {
        URI uri = localhost();
        try (Store store = TestStores.store()) {
            assertThatThrownBy(() -> read(store, uri))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessageStartingWith("Cannot read " + uri + ": the TLS handshake with localhost:"
                            + server.port() + " failed: ")
                    .hasMessageContaining("PKIX path building failed")
                    .hasMessageEndingWith("see the ca-file option)")
                    .satisfies(e -> assertThat(((StoreException) e).retryable()).isFalse());
            assertThatThrownBy(() -> store.size(store.location(uri))).isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void theServerIsTrustedWithItsCaFile() {
        try (Store store = TestStores.store(Map.of("ca-file", caFile.toString()))) {
            assertThat(read(store, localhost())).isEqualTo(DATA);
            assertThat(store.size(store.location(localhost()))).isEqualTo(DATA.length);
        }
    }

    @Test
    void theHostNameIsStillCheckedWithACaFile() {
        URI byAddress = URI.create("https://127.0.0.1:" + server.port() + "/image");
        try (Store store = TestStores.store(Map.of("ca-file", caFile.toString()))) {
            assertThatThrownBy(() -> read(store, byAddress))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessageStartingWith("Cannot read " + byAddress + ": the TLS handshake with 127.0.0.1:"
                            + server.port() + " failed: ")
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void lenientJvmWideHttpsDefaultsDoNotWeakenTheChecks() throws Exception {
        // another library in the JVM turns the JDK's https defaults off: the store's connections keep their own
        HostnameVerifier verifier = HttpsURLConnection.getDefaultHostnameVerifier();
        SSLSocketFactory factory = HttpsURLConnection.getDefaultSSLSocketFactory();
        URI byAddress = URI.create("https://127.0.0.1:" + server.port() + "/image");
        try (Store verifying = TestStores.store(); Store withCa = TestStores.store(Map.of("ca-file",
                caFile.toString()))) {
            HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true);
            HttpsURLConnection.setDefaultSSLSocketFactory(TlsContexts.insecure().getSocketFactory());
            assertThatThrownBy(() -> read(verifying, localhost()))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("PKIX path building failed");
            assertThatThrownBy(() -> read(withCa, byAddress))
                    .isInstanceOf(ForbiddenException.class)
                    .hasMessageStartingWith("Cannot read " + byAddress + ": the TLS handshake with 127.0.0.1:"
                            + server.port() + " failed: ");
            assertThat(read(withCa, localhost())).isEqualTo(DATA);
        } finally {
            HttpsURLConnection.setDefaultHostnameVerifier(verifier);
            HttpsURLConnection.setDefaultSSLSocketFactory(factory);
        }
    }

    @Test
    void insecureAcceptsAnyCertificateAndWarnsLoudly() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.stowage.http");
        logger.addHandler(handler);
        try (Store store = TestStores.store(Map.of("insecure", "true"))) {
            assertThat(read(store, localhost())).isEqualTo(DATA);
            assertThat(read(store, URI.create("https://127.0.0.1:" + server.port() + "/image"))).isEqualTo(DATA);
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(records).anySatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).startsWith("Store web: TLS verification is OFF"
                    + " (stowage.stores.web.insecure=true).");
        });
    }

    @Test
    void badTlsConfigurationIsAConfigurationError() throws Exception {
        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "hello");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TestStores.store(Map.of("ca-file", missing.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store web: option 'stowage.stores.web.ca-file' names " + missing
                        + ": no such file")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo("stowage.stores.web.ca-file"));
        assertThatThrownBy(() -> TestStores.store(Map.of("ca-file", notPem.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot configure store web: option 'stowage.stores.web.ca-file' names "
                        + notPem + ": ");
        assertThatThrownBy(() -> TestStores.store(Map.of("ca-file", caFile.toString(), "insecure", "true")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store web: option 'stowage.stores.web.insecure' and option"
                        + " 'stowage.stores.web.ca-file' exclude each other");
    }
}
