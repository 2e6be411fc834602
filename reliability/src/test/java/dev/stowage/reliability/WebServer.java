package dev.stowage.reliability;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.net.URI;
import java.nio.file.Path;

/** A real HTTP server (Jetty's static resource handler: HEAD, Range, 416) serving the files of a directory. */
final class WebServer implements AutoCloseable {
    private final Server server;
    private final int port;

    private WebServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static WebServer serve(Path directory) throws Exception {
        return serve(directory, 0);
    }

    static WebServer serve(Path directory, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(directory.toRealPath()));
        files.setDirAllowed(false);
        files.setUseFileMapping(false);
        server.setHandler(files);
        server.setStopTimeout(0);
        server.start();
        return new WebServer(server, connector.getLocalPort());
    }

    int port() {
        return port;
    }

    URI uri(String name) {
        return URI.create("http://127.0.0.1:" + port + "/" + name);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
