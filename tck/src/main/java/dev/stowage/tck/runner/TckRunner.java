package dev.stowage.tck.runner;

import dev.stowage.api.Capability;
import dev.stowage.api.StoreException;
import dev.stowage.spi.Option;
import dev.stowage.spi.OptionType;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;
import dev.stowage.tck.ContractSettings;
import dev.stowage.tck.Rule;
import dev.stowage.tck.StoreContract;
import dev.stowage.tck.TckSeed;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The standalone conformance runner:
 * {@code java -jar stowage-tck-<version>-runner.jar --driver <type> --config <file> [--report <dir>]}.
 *
 * <p>Finds the driver with {@link ServiceLoader} (on the class path, or in the jars given with {@code --class-path}),
 * builds its store from the configuration with {@link StoreConfig#parse}, runs the whole store contract through the
 * JUnit Platform launcher, prints a table per rule, writes JUnit XML and a Markdown report, and exits with 0 when
 * nothing failed, 1 when a test failed, 2 when the run could not be set up or no test ran.
 */
public final class TckRunner {
    /** Exit status: every test passed or was skipped with a reason. */
    public static final int OK = 0;
    /** Exit status: at least one test failed. */
    public static final int FAILED = 1;
    /** Exit status: bad arguments or configuration, the store could not be built, or no test ran. */
    public static final int NOT_RUN = 2;

    static final String MARKDOWN_REPORT = "stowage-tck-report.md";
    private static final List<String> TCK_KEYS = List.of("tck.store-name", "tck.large-object-size", "tck.chunk-size",
            "tck.threads", "tck.capabilities", "tck.deviation.<test>");

    private TckRunner() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the kit as {@link #main} does and returns the exit status instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, ConfiguredStoreContract.class);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, running the tests of {@code contract}. */
    static int run(String[] args, PrintStream out, PrintStream err, Class<?> contract) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("stowage-tck: " + e.getMessage());
            err.println(Arguments.USAGE);
            return NOT_RUN;
        }
        if (arguments.help()) {
            out.println(Arguments.USAGE);
            return OK;
        }
        if (arguments.seed() != null) {
            System.setProperty(TckSeed.PROPERTY, arguments.seed());
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls(arguments.classPath()), TckRunner.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            return runWith(arguments, loader, out, err, contract);
        } catch (SetupException e) {
            err.println("stowage-tck: " + e.getMessage());
            return NOT_RUN;
        } catch (IOException e) {
            err.println("stowage-tck: " + e);
            return NOT_RUN;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
            ConfiguredStoreContract.configure(null);
        }
    }

    private static int runWith(Arguments arguments, ClassLoader loader, PrintStream out, PrintStream err,
                               Class<?> contract) throws IOException {
        StoreDriver driver = findDriver(arguments.driver(), loader);
        Map<String, String> raw = readConfig(arguments.config());
        ConfiguredStoreContract.Setup setup = setup(driver, raw);

        // build one store up front: a factory that cannot work is reported once, clearly, and nothing runs
        Set<Capability> capabilities;
        Map<String, String> metadata;
        try (Store probe = setup.newStore()) {
            if (probe == null) {
                throw new SetupException("driver " + driver.type() + " (" + driver.getClass().getName()
                        + ") returned null from create()");
            }
            capabilities = probe.capabilities() == null || probe.capabilities().isEmpty()
                    ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(probe.capabilities());
            metadata = probe.metadata();
        } catch (StoreException | IllegalArgumentException | IllegalStateException e) {
            throw new SetupException("Cannot create a store of driver " + driver.type() + ": " + e.getMessage());
        }

        long seed = TckSeed.seed();
        if (arguments.seed() != null && !arguments.seed().equals(Long.toString(seed))) {
            throw new SetupException("--seed " + arguments.seed() + " cannot apply: this JVM already runs with seed "
                    + seed);
        }
        Path reportDir = arguments.report();
        Files.createDirectories(reportDir);

        ConfiguredStoreContract.configure(setup);
        Outcomes outcomes = new Outcomes();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        PrintWriter xmlErrors = new PrintWriter(err, true, StandardCharsets.UTF_8);
        LegacyXmlReportGeneratingListener xml = new LegacyXmlReportGeneratingListener(reportDir, xmlErrors);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(contract))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .build();
        Launcher launcher = LauncherFactory.create();
        Instant started = Instant.now();
        launcher.execute(request, outcomes, summary, xml);
        xmlErrors.flush();
        TestExecutionSummary totals = summary.getSummary();

        Report report = new Report(version(), driver, setup, capabilities, metadata, seed, started, Instant.now(),
                outcomes);
        out.print(report.console());
        Path markdown = reportDir.resolve(MARKDOWN_REPORT);
        Files.writeString(markdown, report.markdown(), StandardCharsets.UTF_8);
        out.println("Reports: " + markdown + " and JUnit XML in " + reportDir);

        if (totals.getTestsFoundCount() == 0 || outcomes.all().isEmpty()) {
            err.println("stowage-tck: no test ran; the kit found no tests in " + contract.getName()
                    + " (is junit-jupiter-engine on the class path?)");
            return NOT_RUN;
        }
        boolean failed = totals.getTotalFailureCount() > 0 || !outcomes.with(Outcomes.Status.FAILED).isEmpty();
        out.println(failed ? "FAILED: the driver does not conform (see the failed rules above)"
                : "PASSED: every test passed or was skipped with a reason");
        return failed ? FAILED : OK;
    }

    // ------------------------------------------------------------------------------------------------ setup

    static ConfiguredStoreContract.Setup setup(StoreDriver driver, Map<String, String> raw) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> kit = new LinkedHashMap<>();
        raw.forEach((key, value) -> (key.startsWith("tck.") ? kit : options).put(key, value));
        String storeName = kit.getOrDefault("tck.store-name", "tck").trim();
        ContractSettings settings = ContractSettings.defaults();
        Optional<Set<Capability>> capabilities = Optional.empty();
        for (Map.Entry<String, String> entry : kit.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue().trim();
            try {
                if (key.startsWith("tck.deviation.")) {
                    settings = settings.withKnownDeviation(key.substring("tck.deviation.".length()), value);
                    continue;
                }
                switch (key) {
                    case "tck.store-name" -> {
                        if (value.isEmpty()) {
                            throw new IllegalArgumentException("must not be empty");
                        }
                    }
                    case "tck.large-object-size" -> settings = settings.withLargeObjectSize(
                            OptionType.BYTES.parse(value));
                    case "tck.chunk-size" -> settings = settings.withChunkSize(
                            Math.toIntExact(OptionType.BYTES.parse(value)));
                    case "tck.threads" -> settings = settings.withThreads(OptionType.INT.parse(value));
                    case "tck.capabilities" -> capabilities = Optional.of(capabilities(value));
                    default -> throw new SetupException("Cannot configure the kit: unknown key '" + key + "'"
                            + hint(key) + "; kit keys: " + String.join(", ", TCK_KEYS));
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new SetupException("Cannot configure the kit: '" + key + "' has invalid value '" + value + "': "
                        + e.getMessage());
            }
        }
        Set<String> testNames = StoreContract.testNames();
        for (ContractSettings.KnownDeviation deviation : settings.knownDeviations()) {
            if (!testNames.contains(deviation.testName())) {
                throw new SetupException("Cannot configure the kit: 'tck.deviation." + deviation.testName()
                        + "' names no test of the store contract" + nearest(deviation.testName(), testNames));
            }
        }
        try {
            StoreConfig.parse(storeName, "", driver.options(), options);
        } catch (StoreException e) {
            throw new SetupException(e.getMessage());
        }
        Set<String> secrets = new LinkedHashSet<>();
        for (Option<?> option : driver.options()) {
            String value = options.get(option.name());
            if (option.secret() && value != null && !value.isBlank()) {
                secrets.add(value);
            }
        }
        return new ConfiguredStoreContract.Setup(driver, storeName, options, settings, capabilities, secrets);
    }

    private static Set<Capability> capabilities(String list) {
        Set<Capability> out = EnumSet.noneOf(Capability.class);
        for (String item : list.split(",")) {
            String name = item.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                continue;
            }
            try {
                out.add(Capability.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown capability '" + item.trim() + "'; known: "
                        + List.of(Capability.values()));
            }
        }
        return out;
    }

    private static String hint(String key) {
        List<String> known = new ArrayList<>(TCK_KEYS);
        known.remove("tck.deviation.<test>");
        return nearest(key, known);
    }

    private static String nearest(String given, Set<String> candidates) {
        return nearest(given, new ArrayList<>(candidates));
    }

    private static String nearest(String given, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(given, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            }
        }
        return d[a.length()][b.length()];
    }

    static StoreDriver findDriver(String type, ClassLoader loader) {
        Map<String, List<StoreDriver>> byType = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        ServiceLoader<StoreDriver> services = ServiceLoader.load(StoreDriver.class, loader);
        for (ServiceLoader.Provider<StoreDriver> provider : services.stream().toList()) {
            try {
                StoreDriver driver = provider.get();
                byType.computeIfAbsent(driver.type(), key -> new ArrayList<>()).add(driver);
            } catch (ServiceConfigurationError | RuntimeException e) {
                broken.add(provider.type().getName() + ": " + e.getMessage());
            }
        }
        List<StoreDriver> matching = byType.getOrDefault(type, List.of());
        if (matching.isEmpty()) {
            throw new SetupException("Cannot find driver '" + type + "': drivers on the class path: "
                    + (byType.isEmpty() ? "none" : String.join(", ", byType.keySet()))
                    + (broken.isEmpty() ? "" : "; providers that failed to load: " + broken)
                    + ". Add the driver's jar with --class-path <jar>" + nearest(type, new TreeSet<>(byType.keySet())));
        }
        if (matching.size() > 1) {
            throw new SetupException("Cannot choose driver '" + type + "': " + matching.size()
                    + " providers claim it: " + matching.stream().map(d -> d.getClass().getName()).toList()
                    + "; keep one of their jars on the class path");
        }
        return matching.get(0);
    }

    static Map<String, String> readConfig(Path file) {
        if (file == null) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new SetupException("Cannot read configuration " + file + ": " + e);
        }
        Map<String, String> raw = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> raw.put(key.trim(), properties.getProperty(key)));
        return raw;
    }

    private static URL[] urls(List<Path> paths) {
        List<URL> urls = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new SetupException("Cannot use --class-path entry " + path + ": it does not exist");
            }
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new SetupException("Cannot use --class-path entry " + path + ": " + e.getMessage());
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static String version() {
        String version = TckRunner.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    /** The run cannot be set up: printed without a stack trace, exit status {@link #NOT_RUN}. */
    static final class SetupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SetupException(String message) {
            super(message);
        }
    }

    /** Parsed command line. */
    record Arguments(String driver, Path config, Path report, List<Path> classPath, String seed, boolean help) {
        static final String USAGE = String.join(System.lineSeparator(),
                "Usage: java -jar stowage-tck-<version>-runner.jar --driver <type> [--config <file.properties>]",
                "                 [--report <dir>] [--class-path <jar-or-dir>" + File.pathSeparator + "...]"
                        + " [--seed <long>]",
                "  --driver      the driver's type, e.g. file (found with ServiceLoader)",
                "  --config      properties: the driver's options by name, plus kit keys",
                "                " + String.join(", ", TCK_KEYS),
                "  --report      directory for JUnit XML and " + MARKDOWN_REPORT + " (default stowage-tck-report)",
                "  --class-path  jars or directories holding the driver and its dependencies",
                "  --seed        replay a run with the seed it printed",
                "Exit status: 0 conforms, 1 a test failed, 2 not run (bad arguments, configuration or factory,"
                        + " or no test ran).");

        static Arguments parse(String[] args) {
            String driver = null;
            Path config = null;
            Path report = Path.of("stowage-tck-report");
            List<Path> classPath = new ArrayList<>();
            String seed = null;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> help = true;
                    case "--driver" -> driver = value(args, ++i, arg);
                    case "--config" -> config = Path.of(value(args, ++i, arg));
                    case "--report" -> report = Path.of(value(args, ++i, arg));
                    case "--class-path", "--classpath", "-cp" -> {
                        for (String entry : value(args, ++i, arg).split(File.pathSeparator)) {
                            if (!entry.isBlank()) {
                                classPath.add(Path.of(entry));
                            }
                        }
                    }
                    case "--seed" -> {
                        seed = value(args, ++i, arg);
                        try {
                            Long.parseLong(seed);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--seed must be a long, not '" + seed + "'");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (!help && (driver == null || driver.isBlank())) {
                throw new IllegalArgumentException("--driver <type> is required");
            }
            return new Arguments(driver, config, report, classPath, seed, help);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length || args[index].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }

    static List<Rule> storeRules() {
        List<Rule> rules = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            if (rule == Rule.KIT || rule.id().startsWith("S")) {
                rules.add(rule);
            }
        }
        return rules;
    }
}
