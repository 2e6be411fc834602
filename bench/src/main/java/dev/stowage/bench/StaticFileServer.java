package dev.stowage.bench;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.file.Path;

/**
 * A real HTTP server (Jetty's {@link ResourceHandler}: Content-Length, Range, HEAD) serving the files under one
 * directory on 127.0.0.1, for the HTTP store rows: the HTTP store and {@code curl} fetch from the same server.
 */
final class StaticFileServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private StaticFileServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static StaticFileServer serve(Path root) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("bench-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(root.toRealPath()));
        files.setDirAllowed(false);
        files.setAcceptRanges(true);
        files.setEtags(false);
        server.setHandler(files);
        server.start();
        return new StaticFileServer(server, connector);
    }

    /** The URL of a file, given its path relative to the served directory. */
    URI url(String relativePath) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/" + relativePath);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
