package dev.stowage.s3;

import dev.stowage.spi.Option;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The options table of README.md is generated from the driver's declarations; this keeps the two in step. On a
 * mismatch the expected table is in {@code target/readme-options.md}.
 */
class ReadmeOptionsTest {
    private static final String START = "<!-- options:start (generated from S3StoreDriver.options(); see"
            + " ReadmeOptionsTest) -->";
    private static final String END = "<!-- options:end -->";

    static String table(List<Option<?>> options) {
        StringBuilder out = new StringBuilder(
                "| option | type | default | secret | description |\n|---|---|---|---|---|\n");
        for (Option<?> option : options) {
            out.append("| `").append(option.name()).append("` | ")
                    .append(option.type().name().replace("|", "\\|")).append(" | ")
                    .append(shownDefault(option)).append(" | ").append(option.secret() ? "yes" : "no").append(" | ")
                    .append(option.required() ? "Required. " : "")
                    .append(option.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    private static <T> String shownDefault(Option<T> option) {
        return option.defaultValue().map(value -> {
            String text = option.display(value);
            return text.isEmpty() ? "(empty)" : "`" + text + "`";
        }).orElse("(none)");
    }

    @Test
    void theReadmeTableMatchesTheDeclarations() throws Exception {
        String expected = table(new S3StoreDriver().options());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "readme-options.md"), expected);
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md has the marker %s", START).isNotNegative();
        assertThat(end).as("README.md has the marker %s", END).isGreaterThan(start);
        String documented = readme.substring(start + START.length(), end).strip() + "\n";
        assertThat(documented).as("the options table in README.md; regenerate it from the declarations"
                + " (target/readme-options.md)").isEqualTo(expected);
    }
}
