package dev.stowage.samples.cli;

import dev.stowage.api.ChecksumMismatchException;
import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DriverLoadException;
import dev.stowage.api.InvalidImageIdException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StoreException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.api.UnknownStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code stowage} command. Exit codes: 0 success, 1 unexpected error, 2 bad usage or configuration, 3 not found,
 * 4 integrity failure (size or checksum), 5 other store error, 6 conformance failures ({@code tck}).
 */
@Command(name = "stowage", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = StowageCli.Version.class,
        description = "Store, locate and fetch images through Stowage's drivers and strategies.",
        subcommands = {StoresCommand.class, AddCommand.class, GetCommand.class, SizeCommand.class,
                DeleteCommand.class, LocateCommand.class, TckCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:unexpected error", "2:bad usage or configuration", "3:not found",
                "4:size or checksum mismatch", "5:other store error", "6:conformance failures (tck)"})
public final class StowageCli implements Runnable {
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int INTEGRITY = 4;
    static final int STORE_ERROR = 5;
    static final int TCK_FAILED = 6;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Also print the library's informational log lines (default: warnings only)")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), true));
    }

    /** Runs the command line and returns the exit code (for tests and embedding); leaves logging as it is. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, false);
    }

    private static int run(String[] args, PrintWriter out, PrintWriter err, boolean configureLogging) {
        StowageCli top = new StowageCli();
        CommandLine commandLine = new CommandLine(top);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("stowage: " + message(exception));
            return exitCode(exception);
        });
        commandLine.setExecutionStrategy(parseResult -> {
            if (configureLogging) {
                // the commands print what happened themselves; the library's INFO lines would repeat it
                Logger.getLogger("").setLevel(top.verbose ? Level.INFO : Level.WARNING);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String message(Throwable exception) {
        if (exception instanceof StoreException store) {
            return store.getMessage() + " [" + store.errorCode().code() + "]";
        }
        return exception.getClass().getSimpleName() + ": " + exception.getMessage();
    }

    static int exitCode(Throwable exception) {
        if (exception instanceof ConfigurationException || exception instanceof DriverLoadException
                || exception instanceof UnknownStoreException || exception instanceof UnknownSchemeException
                || exception instanceof InvalidLocationException || exception instanceof InvalidImageIdException
                || exception instanceof InvalidRangeException || exception instanceof CommandLine.ParameterException
                || exception instanceof UsageException) {
            return USAGE;
        }
        if (exception instanceof ObjectNotFoundException) {
            return NOT_FOUND;
        }
        if (exception instanceof SizeMismatchException || exception instanceof ChecksumMismatchException) {
            return INTEGRITY;
        }
        if (exception instanceof StoreException) {
            return STORE_ERROR;
        }
        return 1;
    }

    /** A mistake on the command line found after parsing (e.g. a file that does not exist). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = StowageCli.class.getPackage().getImplementationVersion();
            return new String[] {"stowage " + (version == null ? "(development build)" : version)};
        }
    }
}
