package dev.stowage.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the whole harness at a tiny size (1 MiB objects, one run, JMH smoke run) to prove that the documented command
 * path works and that the report has every row. It checks no timing: speeds are for {@code bench/run}, not tests.
 */
class HarnessSmokeTest {
    private static final String ROW = "\\| [^|]+ \\| [0-9.]+ s \\[[0-9.]+-[0-9.]+\\] [0-9]+ MiB/s"
            + " \\| [0-9.]+ s \\[[0-9.]+-[0-9.]+\\] [0-9]+ MiB/s \\| [0-9.]+x \\| ";

    @BeforeAll
    static void childClassPath() {
        // the memory probes start child JVMs on the test class path
        String surefire = System.getProperty("surefire.test.class.path");
        System.setProperty("stowage.bench.classpath", surefire != null ? surefire
                : System.getProperty("java.class.path"));
    }

    @Test
    void tinyRunPrintsEveryRow(@TempDir Path temp) throws Exception {
        Path work = temp.resolve("work");
        Path copy = temp.resolve("report.md");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Harness.run(Options.parse("--size", "1m", "--runs", "1", "--warmup", "0", "--mem-sizes",
                "1m,2m", "--micro-quick", "--dir", work.toString(), "--out", copy.toString()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);

        assertThat(status).isZero();
        assertThat(copy).hasContent(report);
        assertThat(work).as("the work directory is deleted").doesNotExist();
        assertThat(report).contains("# Stowage benchmarks, ", "- machine: ", "- disk: ", "- page cache: warm",
                "- load average (1, 5, 15 min): before ", "## Micro-benchmarks (JMH)", "## Throughput (1 MiB object",
                "## Memory (child JVM per cell, -Xmx64m");

        for (String benchmark : List.of("HashingBenchmark.hashingStream | sha256",
                "HashingBenchmark.hashingStream | sha512",
                "HashingBenchmark.messageDigest | sha256", "HashingBenchmark.messageDigest | sha512",
                "HashingBenchmark.md5Only | sha512", "HashingBenchmark.multihashOnly | sha256",
                "HashingBenchmark.multihashOnly | sha512",
                "OrderingBenchmark.order | location_order", "OrderingBenchmark.order | store_type",
                "OrderingBenchmark.order | weight", "LocationParseBenchmark.uriCreate | file",
                "LocationParseBenchmark.storeLocation | file", "LocationParseBenchmark.storesLocation | file",
                "LocationParseBenchmark.storeLocation | http", "LocationParseBenchmark.storesLocation | http",
                "LocationParseBenchmark.storeLocation | s3", "LocationParseBenchmark.storesLocation | s3")) {
            assertThat(report).containsPattern("\\| " + java.util.regex.Pattern.quote(benchmark)
                    + " \\| [0-9.]+ \\[[0-9.]+-[0-9.]+\\] (MiB/s|us/op|ns/op) \\|");
        }
        for (String target : List.of("file add vs cp", "file get vs cat > /dev/null", "direct copy vs cp",
                "direct copy vs registry download \\(JDK HttpClient\\)", "direct copy vs curl from registry",
                "http get vs curl \\(same server\\)", "s3 add \\(known size\\) vs SDK putObject",
                "s3 add \\(unknown size\\) vs SDK multipart upload")) {
            assertThat(report).containsPattern("\\| " + target + ROW.substring("\\| [^|]+".length())
                    + ">= [0-9.]+x \\| (met|\\*\\*missed\\*\\*) \\|");
        }
        for (String diagnostic : List.of("file add vs cp \\+ sync", "file add \\(fsync=false\\) vs cp",
                "file add vs cp \\+ sync \\+ md5sum \\+ sha512sum", "direct copy vs cp \\+ sync",
                "direct copy vs cp \\+ sync \\+ sha512sum", "file add \\(multihash sha256\\) vs cp",
                "direct copy \\(multihash sha256\\) vs cp")) {
            assertThat(report).containsPattern("\\| \\*" + diagnostic + "\\*" + ROW.substring("\\| [^|]+".length())
                    + "\\(diagnostic\\) \\|");
        }
        assertThat(report).containsPattern("\\| s3 get vs SDK getObject" + ROW.substring("\\| [^|]+".length())
                + "— \\|");
        for (String diagnostic : List.of("s3 add \\(known size\\) vs SDK putObject \\+ MD5 \\+ SHA-512",
                "s3 add \\(unknown size\\) vs SDK putObject \\+ MD5 \\+ SHA-512",
                "s3 add \\(known size\\) vs SDK multipart upload", "s3 add \\(known size, one PUT\\) vs SDK putObject",
                "s3 add \\(known size, one PUT\\) vs SDK putObject \\+ MD5 \\+ SHA-512")) {
            assertThat(report).containsPattern("\\| \\*" + diagnostic + "\\*" + ROW.substring("\\| [^|]+".length())
                    + "\\(diagnostic\\) \\|");
        }
        for (String operation : List.of("idle JVM \\(no operation\\)", "file add", "file get", "direct copy",
                "http get", "s3 add \\(known size\\), -Xmx128m", "s3 add \\(unknown size\\), -Xmx128m",
                "s3 get, -Xmx128m")) {
            String metric = " [0-9.]+ MiB \\| [0-9.]+ MiB \\| [0-9.]+x \\|";
            assertThat(report).containsPattern("\\| " + operation + " \\|" + metric + metric + metric + " ");
        }
    }
}
