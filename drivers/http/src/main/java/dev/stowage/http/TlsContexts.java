package dev.stowage.http;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/** The TLS set-ups of the HTTP store: the JDK's trust, a CA bundle file, or (opt-in) no verification at all. */
final class TlsContexts {
    private TlsContexts() {
    }

    /** What an https connection of the store uses: its socket factory and host name verifier. */
    record Tls(SSLSocketFactory socketFactory, HostnameVerifier hostnameVerifier) {
        Tls {
            java.util.Objects.requireNonNull(socketFactory, "socketFactory is null");
            java.util.Objects.requireNonNull(hostnameVerifier, "hostnameVerifier is null");
        }

        /**
         * Certificates checked by the context's trust managers, and host names checked during the handshake (the
         * sockets ask for HTTPS endpoint identification). The host name verifier refuses everything: the JDK asks it
         * only when its own host name check fails, and only for sockets without endpoint identification, which
         * these never are; so nothing JVM-wide (a lenient default verifier) can weaken the check.
         */
        static Tls verified(SSLContext context) {
            return new Tls(new IdentifyingSocketFactory(context.getSocketFactory()), (host, session) -> false);
        }

        /** Any certificate for any host name ({@link #insecure()}): nothing is checked. */
        static Tls unverified(SSLContext context) {
            return new Tls(context.getSocketFactory(), (host, session) -> true);
        }
    }

    /** Problems reading a CA file, with a message fit for a configuration error. */
    static final class CaFileException extends Exception {
        private static final long serialVersionUID = 1L;

        CaFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The JDK's default context: its trust store, host names verified. */
    static SSLContext verifying() throws GeneralSecurityException {
        return SSLContext.getDefault();
    }

    /**
     * A context that trusts exactly the certificates of a PEM (or DER) bundle, in place of the JDK's trust store.
     * Host names are still verified.
     */
    static SSLContext trusting(Path caFile) throws CaFileException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new CaFileException("no such file", e);
        } catch (IOException e) {
            throw new CaFileException("cannot read it: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new CaFileException("it holds no readable PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new CaFileException("it holds no certificate", null);
        }
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new CaFileException("cannot build a trust store from it: " + e.getMessage(), e);
        }
    }

    /**
     * A context that accepts any certificate for any host name. Being an extended trust manager, it also takes over
     * the host name check, so nothing is verified.
     */
    static SSLContext insecure() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingEverything()}, null);
        return context;
    }

    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // accepts everything: only used with insecure=true
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // accepts everything: only used with insecure=true
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // accepts everything: only used with insecure=true
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // accepts everything: only used with insecure=true
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // accepts everything: only used with insecure=true
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // accepts everything: only used with insecure=true
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Makes every socket it creates check the server's host name during the handshake (HTTPS identification). */
    private static final class IdentifyingSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        IdentifyingSocketFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket identifying(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
            }
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return identifying(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return identifying(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
            return identifying(delegate.createSocket(socket, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return identifying(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return identifying(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return identifying(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return identifying(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
