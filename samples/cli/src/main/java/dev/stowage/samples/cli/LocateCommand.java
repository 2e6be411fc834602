package dev.stowage.samples.cli;

import dev.stowage.api.Location;
import dev.stowage.api.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;

/** {@code stowage locate}: parses and validates a URI with the store that handles its scheme. */
@Command(name = "locate", description = "Parse and validate a location URI; print the store and metadata.")
final class LocateCommand implements Runnable {
    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "URI")
    String uri;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new dev.stowage.api.InvalidLocationException("Cannot use location: not a URI (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        try (Stores stores = config.stores()) {
            Location location = stores.location(parsed);
            PrintWriter out = spec.commandLine().getOut();
            out.println(location.uri());
            out.println("  store:    " + location.store() + " (" + stores.store(location.store()).type() + ")");
            if (!location.metadata().isEmpty()) {
                out.println("  metadata: " + location.metadata());
            }
        }
    }
}
