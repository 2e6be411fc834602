package dev.stowage.samples.cli;

import dev.stowage.api.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.URI;

/** {@code stowage delete}: removes the object at a location. */
@Command(name = "delete", description = "Delete the object at LOCATION.")
final class DeleteCommand implements Runnable {
    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "LOCATION")
    URI location;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (Stores stores = config.stores()) {
            stores.delete(stores.location(location));
            spec.commandLine().getOut().println("deleted " + location);
        }
    }
}
