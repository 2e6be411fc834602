package dev.stowage.file;

import dev.stowage.spi.OptionType;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One configured data directory and its priority, as glance's {@code filesystem_store_datadirs} has them
 * ({@code path:priority}; the priority defaults to 0). Higher priorities are tried first.
 */
public record DataDirectory(Path path, int priority) {
    /** The type of the {@code datadirs} option: a comma-separated list of {@code path[:priority]}. */
    public static final OptionType<List<DataDirectory>> LIST_TYPE =
            OptionType.of("list of path[:priority]", DataDirectory::parseList, DataDirectory::formatList);

    public DataDirectory {
        requireNonNull(path, "path is null");
    }

    /**
     * Reads {@code path} or {@code path:priority}. The priority is the text after the last colon when that text is a
     * whole number, so paths holding colons still work.
     */
    public static DataDirectory parse(String text) {
        requireNonNull(text, "text is null");
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        String pathText = value;
        int priority = 0;
        if (colon >= 0) {
            String suffix = value.substring(colon + 1).trim();
            if (suffix.isEmpty()) {
                throw new IllegalArgumentException("'" + value + "' has an empty priority after ':'");
            }
            if (suffix.matches("[-+]?[0-9]+")) {
                try {
                    priority = Integer.parseInt(suffix);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("priority '" + suffix + "' of '" + value
                            + "' is not a whole number in the int range");
                }
                pathText = value.substring(0, colon).trim();
            } else if (suffix.matches("[-+]?[0-9.eE]+")) {
                throw new IllegalArgumentException("priority '" + suffix + "' of '" + value
                        + "' is not a whole number");
            }
        }
        if (pathText.isEmpty()) {
            throw new IllegalArgumentException("'" + value + "' has no path");
        }
        try {
            return new DataDirectory(Path.of(pathText), priority);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + pathText + "' is not a valid path: " + e.getReason());
        }
    }

    private static List<DataDirectory> parseList(String text) {
        List<DataDirectory> result = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                result.add(parse(item));
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("expected at least one path[:priority]");
        }
        return List.copyOf(result);
    }

    private static String formatList(List<DataDirectory> directories) {
        return directories.stream().map(DataDirectory::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return path + ":" + priority;
    }
}
