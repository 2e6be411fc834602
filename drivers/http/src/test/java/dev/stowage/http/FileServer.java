package dev.stowage.http;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real HTTP server (Jetty) serving the files of a temporary directory, with Range and HEAD support. */
final class FileServer implements AutoCloseable {
    private final Path root;
    private final Server server;
    private final int port;

    FileServer() throws Exception {
        root = Files.createTempDirectory("stowage-http-files");
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(root));
        files.setDirAllowed(false);
        files.setAcceptRanges(true);
        files.setEtags(false);
        server.setHandler(files);
        server.start();
        port = connector.getLocalPort();
    }

    /** Places a file and returns its URL. */
    URI put(String name, byte[] data) {
        try {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, data);
            return uri(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String name) {
        return URI.create("http://127.0.0.1:" + port + "/" + name);
    }

    Path root() {
        return root;
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
