package dev.stowage.samples.cli;

import dev.stowage.api.AddResult;
import dev.stowage.api.FanOutMode;
import dev.stowage.api.FanOutResult;
import dev.stowage.api.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** {@code stowage add}: stores a file or standard input in one or several stores. */
@Command(name = "add", description = "Add a file (or - for standard input) to the default store or to named stores.")
final class AddCommand implements Runnable {
    @Mixin
    ConfigOptions config;

    @Option(names = {"-s", "--store"}, paramLabel = "NAME",
            description = "Store to add to; repeat for several (one pass over the input). Default: the default store")
    List<String> stores = List.of();

    @Option(names = "--id", paramLabel = "ID", description = "Image id (default: a random UUID)")
    String imageId;

    @Option(names = "--best-effort",
            description = "With several stores: keep the copies that succeeded instead of removing them all")
    boolean bestEffort;

    @Option(names = "--no-progress", description = "Do not draw a progress bar")
    boolean noProgress;

    @Parameters(paramLabel = "FILE", description = "The file to add, or - for standard input")
    String file;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String id = imageId == null ? UUID.randomUUID().toString() : imageId;
        long size = Stores.UNKNOWN_SIZE;
        InputStream source;
        try {
            if (file.equals("-")) {
                source = System.in;
            } else {
                Path path = Path.of(file);
                if (!Files.isRegularFile(path)) {
                    throw new StowageCli.UsageException("Cannot add " + file + ": no such file");
                }
                size = Files.size(path);
                source = Files.newInputStream(path);
            }
        } catch (IOException e) {
            throw new StowageCli.UsageException("Cannot add " + file + ": " + e.getMessage());
        }
        try (Stores configured = config.stores();
             Progress progress = new Progress(source, err, "add " + id, size, !noProgress)) {
            if (stores.size() <= 1) {
                AddResult result = stores.isEmpty() ? configured.add(id, progress, size)
                        : configured.add(stores.get(0), id, progress, size);
                progress.finish();
                print(out, result);
            } else {
                FanOutResult result = configured.addAll(stores, id, progress, size,
                        bestEffort ? FanOutMode.BEST_EFFORT : FanOutMode.ALL_MUST_SUCCEED);
                progress.finish();
                result.added().values().forEach(added -> print(out, added));
                result.failed().forEach((store, error) -> err.println("stowage: store " + store + " failed: "
                        + StowageCli.message(error)));
                if (!result.allSucceeded()) {
                    throw new PartialAddException(result.failed().size() + " of " + stores.size()
                            + " stores failed");
                }
            }
        } catch (IOException e) {
            throw new StowageCli.UsageException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void print(PrintWriter out, AddResult result) {
        out.printf("%s%n  store:   %s%n  size:    %d%n  md5:     %s%n  %-8s %s%n", result.location().uri(),
                result.location().store(), result.bytesWritten(), result.md5(),
                result.multihash().algorithm().id() + ":", result.multihash().hex());
        if (!result.location().metadata().isEmpty()) {
            out.printf("  metadata: %s%n", result.location().metadata());
        }
    }

    /** Best effort left some stores without a copy. */
    static final class PartialAddException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PartialAddException(String message) {
            super(message);
        }
    }
}
