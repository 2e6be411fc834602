package dev.stowage.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK HTTP(S) server whose answers each test scripts, for the servers Jetty will not imitate: redirect chains and
 * loops, servers that ignore Range or refuse HEAD, odd statuses. Records every request it gets.
 */
final class ScriptedServer implements AutoCloseable {
    /** One request as the server saw it; the client's port tells its connections apart. */
    record Seen(String method, URI uri, String range, String userAgent, int clientPort) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final String scheme;

    private ScriptedServer(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.setExecutor(executor);
        server.start();
    }

    static ScriptedServer http() throws IOException {
        return new ScriptedServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
    }

    static ScriptedServer https(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new ScriptedServer(server, "https");
    }

    /** Answers requests under {@code path}. */
    ScriptedServer on(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("User-Agent"), exchange.getRemoteAddress().getPort()));
            try (exchange) {
                handler.handle(exchange);
            }
        });
        return this;
    }

    URI uri(String pathAndQuery) {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Forgets the requests seen so far. */
    void forget() {
        seen.clear();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Sends a whole body with its Content-Length (no body for HEAD). */
    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
