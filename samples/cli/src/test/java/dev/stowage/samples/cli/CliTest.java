package dev.stowage.samples.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands one by one against two real file stores, and their answers to bad input. */
class CliTest {
    @TempDir
    Path dir;

    private Path config;
    private Path image;
    private byte[] data;

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("stowage.properties");
        Files.writeString(config, String.join("\n",
                "stowage.stores.fast.type=file",
                "stowage.stores.fast.datadir=" + dir.resolve("fast"),
                "stowage.stores.fast.weight=10",
                "stowage.stores.bulk.type=file",
                "stowage.stores.bulk.datadir=" + dir.resolve("bulk"),
                "stowage.default-store=bulk",
                "stowage.location-strategy=weight",
                ""));
        data = new byte[300_000];
        new Random(3).nextBytes(data);
        image = dir.resolve("image.raw");
        Files.write(image, data);
    }

    @Test
    void storesListsDriversAndConfiguredStores() {
        Result result = cli("stores", "-c", config.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("Drivers found:").contains("  file ").contains("  http ").contains("  s3 ")
                .contains("Stores configured (strategy weight):")
                .contains("bulk").contains("(default)").contains("capabilities: ATOMIC_CREATE");
    }

    @Test
    void addToTwoStoresThenSizeLocateGetAndDelete() throws Exception {
        Result added = cli("add", "-c", config.toString(), "--no-progress", "--id", "img-1", "-s", "fast", "-s", "bulk",
                image.toString());
        assertThat(added.status()).as(added.err()).isZero();
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        String sha512 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
        assertThat(added.out()).contains("md5:     " + md5).contains("sha512:  " + sha512)
                .contains("store:   fast").contains("store:   bulk");
        Matcher uris = Pattern.compile("(?m)^(file:\\S+)$").matcher(added.out());
        assertThat(uris.find()).isTrue();
        String fast = uris.group(1);
        assertThat(uris.find()).isTrue();
        String bulk = uris.group(1);

        assertThat(cli("size", "-c", config.toString(), bulk).out().trim()).isEqualTo(String.valueOf(data.length));
        Result located = cli("locate", "-c", config.toString(), fast);
        assertThat(located.out()).contains("store:    fast (file)");

        Path out = dir.resolve("out.raw");
        Result got = cli("get", "-c", config.toString(), "--no-progress", "--size", String.valueOf(data.length),
                "--multihash", "sha512:" + sha512, "-o", out.toString(), bulk, fast);
        assertThat(got.status()).as(got.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(data);

        Result wrongHash = cli("get", "-c", config.toString(), "--no-progress", "--size", String.valueOf(data.length),
                "--multihash", "sha512:" + "0".repeat(128), "-o", dir.resolve("bad.raw").toString(), bulk);
        assertThat(wrongHash.status()).as(wrongHash.err()).isEqualTo(StowageCli.INTEGRITY);
        assertThat(Files.exists(dir.resolve("bad.raw"))).isFalse();

        assertThat(cli("delete", "-c", config.toString(), bulk).status()).isZero();
        Result gone = cli("size", "-c", config.toString(), bulk);
        assertThat(gone.status()).isEqualTo(StowageCli.NOT_FOUND);
        assertThat(gone.err()).startsWith("stowage: Cannot ").contains("[not-found]");
    }

    @Test
    void duplicateAddIsAStoreError() {
        assertThat(cli("add", "-c", config.toString(), "--no-progress", "--id", "dup", image.toString()).status())
                .isZero();
        Result again = cli("add", "-c", config.toString(), "--no-progress", "--id", "dup", image.toString());
        assertThat(again.status()).isEqualTo(StowageCli.STORE_ERROR);
        assertThat(again.err()).contains("[duplicate]");
    }

    @Test
    void badInputGetsClearMessagesAndUsageExitCode() throws Exception {
        Result missingFile = cli("add", "-c", config.toString(), dir.resolve("nope").toString());
        assertThat(missingFile.status()).isEqualTo(StowageCli.USAGE);
        assertThat(missingFile.err()).contains("Cannot add " + dir.resolve("nope") + ": no such file");

        Result badId = cli("add", "-c", config.toString(), "--no-progress", "--id", "../escape", image.toString());
        assertThat(badId.status()).isEqualTo(StowageCli.USAGE);
        assertThat(badId.err()).contains("Cannot use image id '../escape'");

        Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, "stowage.stores.a.type=file\nstowage.stores.a.datadri=" + dir.resolve("a") + "\n");
        Result misspelled = cli("stores", "-c", typo.toString());
        assertThat(misspelled.status()).isEqualTo(StowageCli.USAGE);
        assertThat(misspelled.err()).contains("stowage.stores.a.datadri").contains("did you mean 'datadir'");

        Result foreign = cli("locate", "-c", config.toString(), "gopher://host/x");
        assertThat(foreign.status()).isEqualTo(StowageCli.USAGE);
        assertThat(foreign.err()).contains("gopher");

        Result noConfig = cli("size", "-c", dir.resolve("missing.properties").toString(), "file:///x");
        assertThat(noConfig.status()).isEqualTo(StowageCli.USAGE);
        assertThat(noConfig.err()).contains("no such file");

        Result unknownOption = cli("get", "--bogus");
        assertThat(unknownOption.status()).isEqualTo(StowageCli.USAGE);
        assertThat(unknownOption.err()).contains("--bogus");

        Result neither = cli("get", "-c", config.toString());
        assertThat(neither.status()).isEqualTo(StowageCli.USAGE);
        assertThat(neither.err()).contains("Give either LOCATION URIs or --image URL");

        Result help = cli("get", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: stowage get").contains("--image=URL");
    }

    @Test
    void tckCommandRunsTheKitOnTheFileDriver() throws Exception {
        Path tckConfig = dir.resolve("tck.properties");
        Files.writeString(tckConfig, "datadir=" + dir.resolve("tck-data") + "\ntck.large-object-size=4MiB\n");
        Result result = cli("tck", "--driver", "file", "--config", tckConfig.toString(), "--report",
                dir.resolve("report").toString());
        assertThat(result.status()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("S5").contains("S9");
        assertThat(dir.resolve("report").resolve("stowage-tck-report.md")).exists();

        Result unknown = cli("tck", "--driver", "flie");
        assertThat(unknown.status()).isEqualTo(StowageCli.USAGE);
        assertThat(unknown.err()).contains("flie");
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = StowageCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    record Result(int status, String out, String err) {
    }
}
