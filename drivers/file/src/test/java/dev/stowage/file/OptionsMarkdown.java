package dev.stowage.file;

import dev.stowage.spi.Option;

import java.util.List;

/**
 * Renders a driver's declared options as the Markdown table in its README, so the docs are generated from the
 * declarations and cannot drift ({@link ReadmeTest} fails when they differ).
 */
final class OptionsMarkdown {
    static final String BEGIN = "<!-- options:begin (generated from FileStoreDriver.options(); do not edit) -->";
    static final String END = "<!-- options:end -->";

    private OptionsMarkdown() {
    }

    static String table(List<Option<?>> options) {
        StringBuilder out = new StringBuilder();
        out.append("| Option | Type | Default | Description |\n");
        out.append("|---|---|---|---|\n");
        for (Option<?> option : options) {
            out.append("| `").append(option.name()).append("` | ").append(escape(option.type().name())).append(" | ")
                    .append(defaultText(option)).append(" | ").append(escape(option.description())).append(" |\n");
        }
        return out.toString();
    }

    private static <T> String defaultText(Option<T> option) {
        if (option.required()) {
            return "required";
        }
        return option.defaultValue().map(value -> "`" + option.display(value) + "`").orElse("—");
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** {@code readme} with the text between the markers replaced by {@code table}. */
    static String replaceTable(String readme, String table) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README lacks the markers " + BEGIN + " and " + END);
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table + readme.substring(end);
    }

    /** The text between the markers. */
    static String currentTable(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README lacks the markers " + BEGIN + " and " + END);
        }
        return readme.substring(begin + BEGIN.length() + 1, end);
    }
}
