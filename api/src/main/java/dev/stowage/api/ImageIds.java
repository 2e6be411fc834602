package dev.stowage.api;

/**
 * The rule for image ids that every store accepts (rule S9): 1 to 200 ASCII characters from
 * {@code [A-Za-z0-9._-]}, starting with a letter or digit. This excludes empty ids, {@code .} and {@code ..},
 * path separators, control characters and Unicode look-alikes, so an id can be used as a file name or object key
 * without escaping anything.
 */
public final class ImageIds {
    /** The longest id accepted. */
    public static final int MAX_LENGTH = 200;

    private ImageIds() {
    }

    /**
     * Returns the id when it is safe.
     *
     * @throws InvalidImageIdException naming the id (escaped) and what is wrong with it
     */
    public static String requireValid(String imageId) {
        String problem = problem(imageId);
        if (problem != null) {
            throw new InvalidImageIdException("Cannot use image id " + quote(imageId) + ": " + problem);
        }
        return imageId;
    }

    /** Whether the id is safe. */
    public static boolean isValid(String imageId) {
        return problem(imageId) == null;
    }

    private static String problem(String imageId) {
        if (imageId == null) {
            return "it is null";
        }
        if (imageId.isEmpty()) {
            return "it is empty";
        }
        if (imageId.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < imageId.length(); i++) {
            char c = imageId.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (i == 0 && !alnum) {
                return "it must start with an ASCII letter or digit";
            }
            if (!alnum && c != '.' && c != '_' && c != '-') {
                return "character " + describe(c) + " at index " + i + " is not allowed (use [A-Za-z0-9._-])";
            }
        }
        return null;
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** The id quoted with control and non-ASCII characters escaped, for messages. */
    public static String quote(String imageId) {
        if (imageId == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        String shown = imageId.length() > 80 ? imageId.substring(0, 80) : imageId;
        for (char c : shown.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        if (shown.length() < imageId.length()) {
            out.append("...(").append(imageId.length()).append(" chars)");
        }
        return out.append('\'').toString();
    }
}
