package dev.stowage.samples.registry;

import java.nio.file.Path;

/**
 * Starts the registry: {@code java -jar stowage-registry.jar [settings.properties]}. Without a settings file it
 * serves on 127.0.0.1:9292 with one file store under {@code ./stowage-data}.
 */
public final class RegistryMain {
    private RegistryMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 || (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: java -jar stowage-registry.jar [settings.properties]");
            System.exit(args.length > 1 ? 2 : 0);
        }
        Path settingsFile = args.length == 1 ? Path.of(args[0]) : null;
        RegistrySettings settings = RegistrySettings.load(settingsFile, Path.of("stowage-data"));
        Registry registry = Registry.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                registry.close();
            } catch (Exception e) {
                System.err.println("Error while stopping: " + e.getMessage());
            }
        }, "registry-shutdown"));
        String base = "http://" + settings.host() + ":" + registry.port();
        System.out.println("""
                Stowage registry listening on %1$s
                  data directory: %2$s
                  stores: %3$s (default %4$s)

                Try it:
                  curl -s -X POST %1$s/v2/images -H 'Content-Type: application/json' \\
                       -d '{"name": "cirros", "disk_format": "qcow2", "container_format": "bare"}'
                  curl -s -X PUT %1$s/v2/images/<id>/file -H 'Content-Type: application/octet-stream' \\
                       --data-binary @image.qcow2
                  curl -s %1$s/v2/images/<id>
                  curl -s -o copy.qcow2 %1$s/v2/images/<id>/file
                The full session, with a direct copy by the stowage CLI: samples/registry/README.md
                Stop with Ctrl-C.""".formatted(base, settings.dataDir(), registry.stores().storeNames(),
                registry.stores().defaultStore().name()));
        registry.join();
    }
}
