package dev.stowage.samples.registry;

import dev.stowage.api.Stores;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Files;
import java.util.List;

/** A running registry: the database, the stores and the HTTP server. Closing it stops all three. */
public final class Registry implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Registry.class.getName());

    private final Server server;
    private final Stores stores;
    private final ImageRepository repository;
    private final ServerConnector connector;

    private Registry(Server server, ServerConnector connector, Stores stores, ImageRepository repository) {
        this.server = server;
        this.connector = connector;
        this.stores = stores;
        this.repository = repository;
    }

    /** Opens the database and stores, repairs uploads cut off by a crash, and starts serving. */
    public static Registry start(RegistrySettings settings) throws Exception {
        Files.createDirectories(settings.dataDir());
        Stores stores = Stores.fromProperties(settings.stowage());
        ImageRepository repository = null;
        Server server = null;
        try {
            repository = new ImageRepository(settings.dataDir().resolve("registry"));
            ImageService images = new ImageService(repository, stores);
            List<String> repaired = images.recover();
            if (!repaired.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "Uploads cut off by a restart, images queued again: {0}",
                        repaired);
            }
            QueuedThreadPool threads = new QueuedThreadPool(64, 4);
            threads.setName("registry");
            server = new Server(threads);
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(settings.host());
            connector.setPort(settings.port());
            server.addConnector(connector);
            server.setHandler(new RegistryHandler(images, settings));
            server.start();
            return new Registry(server, connector, stores, repository);
        } catch (Exception e) {
            if (server != null) {
                server.stop();
            }
            if (repository != null) {
                repository.close();
            }
            stores.close();
            throw e;
        }
    }

    /** The port the server listens on (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public Stores stores() {
        return stores;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            try {
                repository.close();
            } finally {
                stores.close();
            }
        }
    }
}
