package dev.stowage.samples.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The registry's own settings ({@code registry.*} keys) and the Stowage configuration ({@code stowage.*} keys), read
 * from one properties file. Without a file, or without {@code stowage.*} keys, one file store named {@code local}
 * keeps images under {@code <data-dir>/images}.
 */
public record RegistrySettings(String host, int port, Path dataDir, boolean showMultipleLocations,
                        boolean showImageDirectUrl, Properties stowage) {

    public static RegistrySettings load(Path file, Path defaultDataDir) throws IOException {
        Properties all = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                all.load(in);
            }
        }
        Path dataDir = Path.of(all.getProperty("registry.data-dir", defaultDataDir.toString())).toAbsolutePath();
        Properties stowage = new Properties();
        for (String key : all.stringPropertyNames()) {
            if (key.startsWith("stowage.")) {
                stowage.setProperty(key, all.getProperty(key));
            } else if (!key.startsWith("registry.")) {
                throw new IllegalArgumentException("Unknown setting '" + key + "' in " + file
                        + ": settings start with registry. or stowage.");
            }
        }
        if (stowage.isEmpty()) {
            Path images = dataDir.resolve("images");
            stowage.setProperty("stowage.stores.local.type", "file");
            stowage.setProperty("stowage.stores.local.datadir", images.toString());
            stowage.setProperty("stowage.stores.local.id", "registry-local");
            stowage.setProperty("stowage.stores.local.mountpoint", images.toString());
            stowage.setProperty("stowage.default-store", "local");
        }
        return new RegistrySettings(all.getProperty("registry.host", "127.0.0.1"),
                Integer.parseInt(all.getProperty("registry.port", "9292")), dataDir,
                Boolean.parseBoolean(all.getProperty("registry.show-multiple-locations", "true")),
                Boolean.parseBoolean(all.getProperty("registry.show-image-direct-url", "true")), stowage);
    }
}
