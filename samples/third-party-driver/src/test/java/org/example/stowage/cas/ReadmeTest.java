package org.example.stowage.cas;

import dev.stowage.spi.Option;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the guide in step with the code: the option table, the contract test class shown in full, and every other
 * Java, XML, properties and shell snippet, which must be an excerpt of a file of this sample.
 */
class ReadmeTest {
    private static final Path README = Path.of("README.md");
    /** A snippet line that stands for lines left out. */
    private static final String GAP = "...";

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
                .as("lines of the class body").isLessThanOrEqualTo(25);
    }

    @Test
    void everyCodeSnippetIsAnExcerptOfTheSample() throws IOException {
        List<Snippet> snippets = snippets(Files.readString(README));
        List<Path> sources = sampleFiles();

        assertThat(snippets).as("code snippets in the README").hasSizeGreaterThan(10);
        List<String> strays = snippets.stream()
                .filter(snippet -> sources.stream().filter(file -> snippet.fits(file.getFileName().toString()))
                        .noneMatch(file -> containsInOrder(lines(read(file)), snippet.parts())))
                .map(snippet -> "line " + snippet.line() + " (" + snippet.language() + "):\n" + snippet.text())
                .toList();
        assertThat(strays).as("README snippets that are not excerpts of the sample's files (compared line by line,"
                + " trimmed, blank lines ignored, '%s' for lines left out)", GAP).isEmpty();
    }

    @Test
    void theSnippetCheckRejectsWhatIsNotInTheSample() {
        List<String> file = List.of("a();", "b();", "c();", "d();");

        assertThat(containsInOrder(file, List.of(List.of("b();", "c();")))).isTrue();
        assertThat(containsInOrder(file, List.of(List.of("a();"), List.of("d();")))).isTrue();
        assertThat(containsInOrder(file, List.of(List.of("a();", "c();")))).as("not contiguous").isFalse();
        assertThat(containsInOrder(file, List.of(List.of("d();"), List.of("a();")))).as("out of order").isFalse();
        assertThat(containsInOrder(file, List.of(List.of("e();")))).isFalse();
    }

    private record Snippet(String language, int line, String text) {
        boolean fits(String fileName) {
            return switch (language) {
                case "java" -> fileName.endsWith(".java");
                case "xml" -> fileName.endsWith(".xml");
                case "properties" -> fileName.endsWith(".properties");
                case "bash" -> fileName.equals("check-installed");
                case "text" -> fileName.equals("dev.stowage.spi.StoreDriver");
                default -> false;
            };
        }

        /** The snippet's lines split at gap lines. */
        List<List<String>> parts() {
            List<List<String>> parts = new ArrayList<>();
            List<String> current = new ArrayList<>();
            for (String line : lines(text)) {
                if (line.equals(GAP) || line.equals("// " + GAP) || line.equals("<!-- " + GAP + " -->")) {
                    parts.add(current);
                    current = new ArrayList<>();
                } else {
                    current.add(line);
                }
            }
            parts.add(current);
            parts.removeIf(List::isEmpty);
            return parts;
        }
    }

    /**
     * The fenced blocks of the README that show the sample's files: {@code java}, {@code xml}, {@code properties},
     * {@code text} (the services file) and {@code bash} (the check script). Not checked: commands to type
     * ({@code sh}), output ({@code console}), unlabelled blocks (the layout) and the contract test class, which is
     * compared in full above.
     */
    private static List<Snippet> snippets(String readme) throws IOException {
        String contractTest = section("contract-test");
        List<Snippet> found = new ArrayList<>();
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("```") || lines[i].length() == 3) {
                continue;
            }
            String language = lines[i].substring(3).trim();
            int start = i + 1;
            int end = start;
            while (!lines[end].equals("```")) {
                end++;
            }
            String text = String.join("\n", java.util.Arrays.copyOfRange(lines, start, end)) + "\n";
            i = end;
            if (language.equals("console") || language.equals("sh") || contractTest.contains(text)) {
                continue;
            }
            found.add(new Snippet(language, start, text));
        }
        return found;
    }

    private static boolean containsInOrder(List<String> file, List<List<String>> parts) {
        int from = 0;
        for (List<String> part : parts) {
            int at = indexOf(file, part, from);
            if (at < 0) {
                return false;
            }
            from = at + part.size();
        }
        return true;
    }

    private static int indexOf(List<String> file, List<String> part, int from) {
        for (int start = from; start + part.size() <= file.size(); start++) {
            if (file.subList(start, start + part.size()).equals(part)) {
                return start;
            }
        }
        return -1;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> sampleFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("pom.xml"), Path.of("check-installed"),
                Path.of("tck-runner.properties")));
        try (Stream<Path> walk = Files.walk(Path.of("src"))) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        return files;
    }

    private static <T> String row(Option<T> option) {
        String value = option.required() ? "(required)"
                : option.defaultValue().map(v -> "`" + option.display(v) + "`").orElse("(none)");
        return "| `" + option.name() + "` | " + option.type().name() + " | " + value + " | " + option.description()
                + " |\n";
    }
}
