package dev.stowage.tck.runner;

import dev.stowage.tck.Rule;
import dev.stowage.tck.StoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The standalone runner against the in-memory reference driver (found with ServiceLoader from the api test-jar). */
class TckRunnerTest {
    private static final String SECRET = "runner-S3cr3t-Key";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TckRunner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path config(String... extraLines) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("namespace=runner-").append(UUID.randomUUID()).append('\n')
                .append("access-key=").append(SECRET).append('\n')
                .append("tck.store-name=images\n")
                .append("tck.large-object-size=4MiB\n")
                .append("tck.chunk-size=32KiB\n")
                .append("tck.threads=4\n");
        for (String line : extraLines) {
            text.append(line).append('\n');
        }
        Path file = dir.resolve("memory-" + UUID.randomUUID() + ".properties");
        Files.writeString(file, text.toString());
        return file;
    }

    @Test
    void conformingDriverPassesWithAReportListingEveryRule() throws IOException {
        Path report = dir.resolve("report");
        int status = run("--driver", "memory", "--config",
                config("tck.capabilities=read, range-read, write, delete, atomic_create").toString(),
                "--report", report.toString());

        assertThat(status).as(out() + err()).isEqualTo(TckRunner.OK);
        assertThat(out()).contains("driver memory (dev.stowage.testing.InMemoryStoreDriver), store images",
                "PASSED: every test passed or was skipped with a reason");
        for (Rule rule : TckRunner.storeRules()) {
            assertThat(out()).containsPattern("(?m)^" + rule.id() + " +PASSED +\\d+ +0 ");
        }
        String markdown = Files.readString(report.resolve(TckRunner.MARKDOWN_REPORT));
        assertThat(markdown).contains("**Result: CONFORMS**", "| Expected capabilities | [READ, RANGE_READ, WRITE,"
                + " DELETE, ATOMIC_CREATE] |", "| Secrets checked | 1 (values not shown) |");
        for (Rule rule : TckRunner.storeRules()) {
            assertThat(markdown).containsPattern("(?m)^\\| " + rule.id() + " \\| passed \\|");
        }
        for (String test : StoreContract.testNames()) {
            assertThat(markdown).contains("| `" + test + "` |");
        }
        assertThat(markdown).contains("| S11 | `s11_addWithoutWriteCapabilityFailsAsUnsupported` | skipped |"
                + " skipped: store images declares capability WRITE");
        assertThat(markdown).doesNotContain(SECRET);
        assertThat(out()).doesNotContain(SECRET);

        String xml = Files.readString(report.resolve("TEST-junit-jupiter.xml"));
        Matcher testcases = Pattern.compile("<testcase ").matcher(xml);
        int count = 0;
        while (testcases.find()) {
            count++;
        }
        assertThat(count).isEqualTo(StoreContract.testNames().size());
        assertThat(xml).contains("tests=\"" + StoreContract.testNames().size() + "\"", "failures=\"0\"");
    }

    @Test
    void wrongCapabilityDeclarationFailsTheRunOnS11() throws IOException {
        Path report = dir.resolve("mismatch");
        int status = run("--driver", "memory", "--config", config("tck.capabilities=READ,WRITE").toString(),
                "--report", report.toString());

        assertThat(status).as(out() + err()).isEqualTo(TckRunner.FAILED);
        assertThat(out()).containsPattern("(?m)^S11 +FAILED +\\d+ +1 ")
                .contains("FAILED: the driver does not conform");
        String markdown = Files.readString(report.resolve(TckRunner.MARKDOWN_REPORT));
        assertThat(markdown).contains("**Result: DOES NOT CONFORM (1 failed)**",
                "### `s11_capabilitiesMatchTheDeclaration` (S11)",
                "store.capabilities() against expectedCapabilities(): expected <[READ, WRITE]> but was <[READ,"
                        + " RANGE_READ, WRITE, DELETE, ATOMIC_CREATE]>");
    }

    @Test
    void deviationDeclaredForAPassingTestFailsTheRun() throws IOException {
        int status = run("--driver", "memory", "--config",
                config("tck.deviation.s6_emptyReadAtTheEnd=the backend answers 416").toString(),
                "--report", dir.resolve("deviation").toString());

        assertThat(status).as(out() + err()).isEqualTo(TckRunner.FAILED);
        assertThat(out()).containsPattern("(?m)^S6 +s6_emptyReadAtTheEnd +FAILED +KIT .*known deviation no longer"
                + " present");
    }

    @Test
    void unknownDriverIsReportedWithTheDriversFound() {
        int status = run("--driver", "memroy", "--report", dir.resolve("r").toString());

        assertThat(status).isEqualTo(TckRunner.NOT_RUN);
        assertThat(err()).contains("Cannot find driver 'memroy': drivers on the class path: memory",
                "did you mean 'memory'?");
    }

    @Test
    void badStoreOptionIsReportedBeforeAnythingRuns() throws IOException {
        int status = run("--driver", "memory", "--config", config("namespce=x").toString(),
                "--report", dir.resolve("r").toString());

        assertThat(status).isEqualTo(TckRunner.NOT_RUN);
        assertThat(err()).contains("unknown option 'namespce'", "did you mean 'namespace'?");
        assertThat(Files.exists(dir.resolve("r"))).isFalse();
    }

    @Test
    void badOptionValueNamesTheKeyAndHidesSecrets() throws IOException {
        int status = run("--driver", "memory", "--config", config("fail-adds-after=many").toString());

        assertThat(status).isEqualTo(TckRunner.NOT_RUN);
        assertThat(err()).contains("option 'fail-adds-after' has invalid value 'many'").doesNotContain(SECRET);
    }

    @Test
    void unknownKitKeyIsReportedWithASuggestion() throws IOException {
        int status = run("--driver", "memory", "--config", config("tck.thread=4").toString());

        assertThat(status).isEqualTo(TckRunner.NOT_RUN);
        assertThat(err()).contains("unknown key 'tck.thread'", "did you mean 'tck.threads'?");
    }

    @Test
    void deviationForAnUnknownTestIsReported() throws IOException {
        int status = run("--driver", "memory", "--config", config("tck.deviation.s5_duplicateAddFails=x").toString());

        assertThat(status).isEqualTo(TckRunner.NOT_RUN);
        assertThat(err()).contains("'tck.deviation.s5_duplicateAddFails' names no test of the store contract");
    }

    /** A class without tests, standing in for a kit whose tests are not found (e.g. no engine). */
    static final class NoTests {
    }

    @Test
    void runWhereNoTestRanFailsLoudly() throws IOException {
        int status = TckRunner.run(new String[] {"--driver", "memory", "--config", config().toString(), "--report",
                        dir.resolve("empty").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NoTests.class);

        assertThat(status).isEqualTo(TckRunner.NOT_RUN);
        assertThat(err()).contains("no test ran; the kit found no tests in " + NoTests.class.getName());
        assertThat(out()).doesNotContain("PASSED:");
    }

    @Test
    void missingDriverArgumentPrintsUsage() {
        assertThat(run("--config", "x.properties")).isEqualTo(TckRunner.NOT_RUN);
        assertThat(err()).contains("--driver <type> is required", "Usage: java -jar stowage-tck-<version>-runner.jar");
        assertThat(run("--help")).isEqualTo(TckRunner.OK);
        assertThat(out()).contains("Exit status: 0 conforms, 1 a test failed, 2 not run");
    }

    @Test
    void contractClassOutsideTheRunnerFailsLoudly() {
        dev.stowage.tck.runner.Outcomes outcomes = new Outcomes();
        org.junit.platform.launcher.core.LauncherFactory.create().execute(
                org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                        .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(
                                ConfiguredStoreContract.class)).build(), outcomes);
        assertThat(outcomes.all()).hasSize(StoreContract.testNames().size()).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Outcomes.Status.FAILED);
            assertThat(outcome.detail()).contains("no driver configured: this class runs only through the kit's"
                    + " runner");
        });
    }
}
