package dev.stowage.samples.cli;

import dev.stowage.api.Stores;
import dev.stowage.strategy.MountTable;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The shared {@code -c/--config} option. The file holds {@code stowage.*} keys for {@link Stores} and
 * {@code stowage.direct.*} keys for the client-side mount table. Without {@code -c}, {@code $STOWAGE_CONFIG} or
 * {@code ./stowage.properties} is used when present.
 */
final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration (properties): stowage.stores.<name>.*, stowage.direct.*. "
                    + "Default: $STOWAGE_CONFIG, else ./stowage.properties")
    Path config;

    Properties load() {
        Path file = config;
        if (file == null) {
            String fromEnv = System.getenv("STOWAGE_CONFIG");
            if (fromEnv != null && !fromEnv.isBlank()) {
                file = Path.of(fromEnv);
            } else if (Files.isRegularFile(Path.of("stowage.properties"))) {
                file = Path.of("stowage.properties");
            }
        }
        Properties properties = new Properties();
        if (file == null) {
            return properties;
        }
        if (!Files.isRegularFile(file)) {
            throw new StowageCli.UsageException("Cannot read configuration " + file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new StowageCli.UsageException("Cannot read configuration " + file + ": " + e.getMessage());
        }
        return properties;
    }

    /** The configured stores (the mount-table keys are left to {@link #mounts()}). */
    Stores stores() {
        Properties all = load();
        Properties stowage = new Properties();
        for (String key : all.stringPropertyNames()) {
            if (!key.startsWith(MountTable.PREFIX)) {
                stowage.setProperty(key, all.getProperty(key));
            }
        }
        return Stores.fromProperties(stowage);
    }

    MountTable mounts() {
        return MountTable.fromProperties(load());
    }
}
