package dev.stowage.bench;

import dev.stowage.bench.jmh.HashingBenchmark;
import dev.stowage.bench.jmh.OrderingBenchmark;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the JMH benchmarks of {@code dev.stowage.bench.jmh} and turns their iterations into table rows. */
final class Micro {
    /** One benchmark (with its parameters): the scores of all measured iterations, in {@code unit}. */
    record Score(String benchmark, String param, Stats stats, String unit) {
    }

    private Micro() {
    }

    static List<Score> run(Options options) throws RunnerException {
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(HashingBenchmark.class.getPackageName() + "\\..*Benchmark\\..*")
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        if (options.microQuick()) {
            builder.forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(50));
        } else {
            builder.forks(1).warmupIterations(3).warmupTime(TimeValue.milliseconds(options.microTimeMillis()))
                    .measurementIterations(options.microIterations())
                    .measurementTime(TimeValue.milliseconds(options.microTimeMillis()))
                    .jvmArgs("-Xms512m", "-Xmx512m");
        }
        Collection<RunResult> results = new Runner(builder.build()).run();
        List<Score> scores = new ArrayList<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : result.getParams().getParamsKeys()) {
                params.put(key, result.getParams().getParam(key));
            }
            List<Double> iterations = new ArrayList<>();
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    iterations.add(iteration.getPrimaryResult().getScore());
                }
            }
            String unit = result.getPrimaryResult().getScoreUnit();
            Stats stats = Stats.of(iterations);
            if (shortName.startsWith("HashingBenchmark.")) {
                // ops/s of one SIZE-byte buffer -> MiB/s
                double perOp = HashingBenchmark.SIZE / (double) (1 << 20);
                stats = new Stats(stats.median() * perOp, stats.min() * perOp, stats.max() * perOp, stats.count());
                unit = "MiB/s";
            }
            scores.add(new Score(shortName, String.join(",", params.values()), stats, unit));
        }
        return scores;
    }

    /** Locations per ordering, for the table's notes. */
    static int orderingCount() {
        return OrderingBenchmark.COUNT;
    }
}
