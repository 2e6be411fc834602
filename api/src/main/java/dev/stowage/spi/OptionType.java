package dev.stowage.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * How an option's text value is read. Parsers throw {@link IllegalArgumentException} with a short reason; the
 * configuration layer turns that into a {@link dev.stowage.api.ConfigurationException} naming the key and value.
 */
public final class OptionType<T> {
    /** Any text; surrounding blanks are kept. */
    public static final OptionType<String> STRING = new OptionType<>("string", Function.identity(), Objects::toString);
    /** A decimal {@code int}. */
    public static final OptionType<Integer> INT = new OptionType<>("int", OptionType::parseInt, Objects::toString);
    /** A decimal {@code long}. */
    public static final OptionType<Long> LONG = new OptionType<>("long", OptionType::parseLong, Objects::toString);
    /** {@code true} or {@code false} (any case); nothing else. */
    public static final OptionType<Boolean> BOOLEAN =
            new OptionType<>("boolean", OptionType::parseBoolean, Objects::toString);
    /** A byte count: {@code 1048576}, {@code 64KiB}, {@code 5MiB}, {@code 1GiB}, {@code 10MB} (powers of 1000). */
    public static final OptionType<Long> BYTES = new OptionType<>("bytes", OptionType::parseBytes, Objects::toString);
    /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 such as {@code PT30S}. */
    public static final OptionType<Duration> DURATION =
            new OptionType<>("duration", OptionType::parseDuration, Objects::toString);
    /** A file-system path. */
    public static final OptionType<Path> PATH = new OptionType<>("path", OptionType::parsePath, Objects::toString);
    /** An absolute URI. */
    public static final OptionType<URI> URI_TYPE = new OptionType<>("uri", OptionType::parseUri, Objects::toString);
    /** File permissions as octal digits, e.g. {@code 0640}. */
    public static final OptionType<Integer> OCTAL =
            new OptionType<>("octal", OptionType::parseOctal, value -> "0" + Integer.toOctalString(value));
    /** A comma-separated list; items trimmed, blank items dropped. */
    public static final OptionType<List<String>> STRING_LIST =
            new OptionType<>("list", OptionType::parseList, value -> String.join(",", value));

    private final String name;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private OptionType(String name, Function<String, T> parser, Function<T, String> formatter) {
        this.name = requireNonNull(name, "name is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.formatter = requireNonNull(formatter, "formatter is null");
    }

    /** A custom type. The parser throws {@link IllegalArgumentException} with a reason for bad text. */
    public static <T> OptionType<T> of(String name, Function<String, T> parser, Function<T, String> formatter) {
        return new OptionType<>(name, parser, formatter);
    }

    /** One of an enum's constants, written in lower case with {@code -} for {@code _} (e.g. {@code virtual-hosted}). */
    public static <E extends Enum<E>> OptionType<E> enumOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String names = Arrays.stream(constants).map(OptionType::enumText).collect(Collectors.joining("|"));
        return new OptionType<>(names, text -> {
            for (E constant : constants) {
                if (enumText(constant).equalsIgnoreCase(text.trim())
                        || constant.name().equalsIgnoreCase(text.trim())) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("expected one of " + names.replace("|", ", "));
        }, OptionType::enumText);
    }

    private static String enumText(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Short name of the type for docs and messages, e.g. {@code bytes}. */
    public String name() {
        return name;
    }

    /** Reads a value; throws {@link IllegalArgumentException} with a reason when the text is not one. */
    public T parse(String text) {
        requireNonNull(text, "text is null");
        return parser.apply(text);
    }

    /** Writes a value as configuration text. */
    public String format(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static boolean parseBoolean(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static long parseBytes(String text) {
        String value = text.trim();
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("expected a byte count such as 1048576, 64KiB or 5MiB");
        }
        long multiplier = switch (value.substring(split).trim().toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "kib" -> 1L << 10;
            case "m", "mib" -> 1L << 20;
            case "g", "gib" -> 1L << 30;
            case "t", "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit '" + value.substring(split).trim()
                    + "' (use B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)");
        };
        try {
            return Math.multiplyExact(Long.parseLong(value.substring(0, split)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("byte count is too large");
        }
    }

    private static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            int split = 0;
            while (split < value.length() && Character.isDigit(value.charAt(split))) {
                split++;
            }
            if (split == 0) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m or PT30S");
            }
            long amount = Long.parseLong(value.substring(0, split));
            return switch (value.substring(split).trim()) {
                case "ms" -> Duration.ofMillis(amount);
                case "s", "" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("unknown unit '" + value.substring(split).trim()
                        + "' (use ms, s, m, h)");
            };
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m or PT30S");
        }
    }

    private static Path parsePath(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("expected a path");
        }
        try {
            return Path.of(text.trim());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: " + e.getReason());
        }
    }

    private static URI parseUri(String text) {
        try {
            URI uri = new URI(text.trim());
            if (!uri.isAbsolute()) {
                throw new IllegalArgumentException("expected an absolute URI such as https://host:port");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + e.getReason());
        }
    }

    private static int parseOctal(String text) {
        String value = text.trim();
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw new IllegalArgumentException("expected octal permissions such as 0640");
        }
        int mode = Integer.parseInt(value, 8);
        if (mode > 07777) {
            throw new IllegalArgumentException("expected octal permissions such as 0640");
        }
        return mode;
    }

    private static List<String> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
