package dev.stowage.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmark jar.
 * <ul>
 *   <li>{@code java -jar stowage-bench.jar [options]}: the whole table (micro-benchmarks, throughput, memory); see
 *       {@link Options} or {@code --help};</li>
 *   <li>{@code java -jar stowage-bench.jar jmh [JMH options]}: the JMH command line, for one benchmark at a time;</li>
 *   <li>{@code probe ...}: one memory measurement, run by the harness in a child JVM ({@link MemoryProbe}).</li>
 * </ul>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("probe")) {
            MemoryProbe.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            Options options;
            try {
                options = Options.parse(args);
            } catch (IllegalArgumentException e) {
                System.err.println("stowage-bench: " + e.getMessage());
                System.err.println(Options.USAGE);
                System.exit(2);
                return;
            }
            if (options.help()) {
                System.out.println(Options.USAGE);
                return;
            }
            int status = Harness.run(options, System.out);
            System.exit(status);
        }
    }
}
