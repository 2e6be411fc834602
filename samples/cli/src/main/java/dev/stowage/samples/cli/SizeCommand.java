package dev.stowage.samples.cli;

import dev.stowage.api.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.URI;

/** {@code stowage size}: the size of the object at a location. */
@Command(name = "size", description = "Print the size in bytes of the object at LOCATION.")
final class SizeCommand implements Runnable {
    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "LOCATION")
    URI location;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (Stores stores = config.stores()) {
            spec.commandLine().getOut().println(stores.size(stores.location(location)));
        }
    }
}
