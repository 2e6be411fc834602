package org.example.stowage.cas;

import dev.stowage.spi.Option;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the guide in step with the code: the option table and the contract test class shown in full. */
class ReadmeTest {
    private static final Path README = Path.of("README.md");

    private static String section(String name) throws IOException {
        String text = Files.readString(README);
        String begin = "<!-- " + name + ":begin -->\n";
        int start = text.indexOf(begin);
        int end = text.indexOf("<!-- " + name + ":end -->");
        assertThat(start).as("README section " + name).isNotNegative();
        assertThat(end).as("README section " + name).isGreaterThan(start);
        return text.substring(start + begin.length(), end);
    }

    @Test
    void theOptionTableMatchesTheDeclarations() throws IOException {
        String table = "| option | type | default | description |\n|---|---|---|---|\n"
                + new CasStoreDriver().options().stream().map(ReadmeTest::row).collect(Collectors.joining());

        assertThat(section("options")).isEqualTo(table);
    }

    @Test
    void theContractTestClassIsShownInFullAndIsShort() throws IOException {
        String source = Files.readString(Path.of("src/test/java/org/example/stowage/cas/CasStoreContractTest.java"));

        assertThat(section("contract-test")).isEqualTo("```java\n" + source + "```\n");
        assertThat(source.substring(source.indexOf("class CasStoreContractTest")).lines().count())
                .as("lines of the class body").isLessThanOrEqualTo(20);
    }

    private static <T> String row(Option<T> option) {
        String value = option.required() ? "(required)"
                : option.defaultValue().map(v -> "`" + option.type().format(v) + "`").orElse("(none)");
        return "| `" + option.name() + "` | " + option.type().name() + " | " + value + " | " + option.description()
                + " |\n";
    }
}
