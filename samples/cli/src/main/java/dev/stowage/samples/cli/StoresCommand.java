package dev.stowage.samples.cli;

import dev.stowage.api.Stores;
import dev.stowage.spi.Option;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** {@code stowage stores}: the drivers on the class path and the configured stores with their capabilities. */
@Command(name = "stores", description = "List the drivers found and the stores configured, with capabilities.")
final class StoresCommand implements Runnable {
    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Drivers found:");
        ServiceLoader.load(StoreDriver.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(StoreDriver::type))
                .forEach(driver -> out.printf("  %-8s schemes %s, options %s%n", driver.type(),
                        driver.schemes().stream().sorted().collect(Collectors.joining(", ")),
                        driver.options().stream().map(Option::name).collect(Collectors.joining(", "))));
        if (config.load().isEmpty()) {
            out.println("No stores configured (use -c FILE, $STOWAGE_CONFIG or ./stowage.properties).");
            return;
        }
        try (Stores stores = config.stores()) {
            out.println("Stores configured (strategy " + stores.strategyName() + "):");
            for (String name : stores.storeNames()) {
                Store store = stores.store(name);
                out.printf("  %-12s type %-6s weight %d%s%n    capabilities: %s%n", name, store.type(),
                        stores.weight(name), name.equals(stores.defaultStoreName()) ? "  (default)" : "",
                        store.capabilities().stream().map(Enum::name).sorted().collect(Collectors.joining(", ")));
                if (!store.metadata().isEmpty()) {
                    out.println("    metadata: " + store.metadata());
                }
            }
        }
    }
}
