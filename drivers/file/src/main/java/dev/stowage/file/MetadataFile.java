package dev.stowage.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads glance's {@code filesystem_store_metadata_file}: a JSON object {@code {"id": ..., "mountpoint": ...}} or a
 * list of such objects. Every problem is reported as an {@link IllegalArgumentException} whose message names the
 * file and what is wrong (with line and column for syntax errors); the caller adds the configuration key.
 */
final class MetadataFile {
    /** Metadata files are a few lines; anything larger is a mistake (the wrong file), not metadata. */
    static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> KEYS = Set.of(MountEntry.ID, MountEntry.MOUNTPOINT);

    private MetadataFile() {
    }

    static List<MountEntry> read(Path file) {
        JsonNode root;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IllegalArgumentException("metadata file " + file + " is " + size
                        + " bytes, more than a metadata file can be (" + MAX_BYTES + ")");
            }
            try (InputStream in = Files.newInputStream(file); JsonParser parser = MAPPER.createParser(in)) {
                root = MAPPER.readTree(parser);
                if (root != null && parser.nextToken() != null) {
                    JsonLocation at = parser.currentTokenLocation();
                    throw new IllegalArgumentException("metadata file " + file + " is not valid JSON at line "
                            + at.getLineNr() + ", column " + at.getColumnNr()
                            + ": more follows the end of the JSON value");
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("metadata file " + file + " does not exist", e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException("metadata file " + file + " is not valid JSON" + where + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("metadata file " + file + " cannot be read: " + e, e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("metadata file " + file + " is empty; expected a JSON object"
                    + " {\"id\": ..., \"mountpoint\": ...} or a list of them");
        }
        List<MountEntry> entries = new ArrayList<>();
        if (root.isObject()) {
            entries.add(entry(file, root, "the top-level object"));
        } else if (root.isArray()) {
            if (root.isEmpty()) {
                throw new IllegalArgumentException("metadata file " + file + " holds an empty list; expected at"
                        + " least one {\"id\": ..., \"mountpoint\": ...}");
            }
            for (int i = 0; i < root.size(); i++) {
                entries.add(entry(file, root.get(i), "entry " + i));
            }
        } else {
            throw new IllegalArgumentException("metadata file " + file + " holds a JSON " + kind(root)
                    + "; expected an object {\"id\": ..., \"mountpoint\": ...} or a list of them");
        }
        return List.copyOf(entries);
    }

    private static MountEntry entry(Path file, JsonNode node, String what) {
        String prefix = "metadata file " + file + ", " + what + ": ";
        if (!node.isObject()) {
            throw new IllegalArgumentException(prefix + "expected an object {\"id\": ..., \"mountpoint\": ...},"
                    + " found a JSON " + kind(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException(prefix + "unknown key \"" + name
                        + "\" (only \"id\" and \"mountpoint\" are allowed)");
            }
        }
        String id = text(node, MountEntry.ID, prefix);
        String mountpoint = text(node, MountEntry.MOUNTPOINT, prefix);
        Path path;
        try {
            path = Path.of(mountpoint);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(prefix + "\"mountpoint\" is not a valid path: " + e.getReason(), e);
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(prefix + "\"mountpoint\" \"" + mountpoint
                    + "\" is not an absolute path");
        }
        return new MountEntry(id, path);
    }

    private static String text(JsonNode node, String key, String prefix) {
        JsonNode value = node.get(key);
        if (value == null) {
            throw new IllegalArgumentException(prefix + "\"" + key + "\" is missing");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(prefix + "\"" + key + "\" must be a string, found a JSON "
                    + kind(value));
        }
        if (value.asText().isBlank()) {
            throw new IllegalArgumentException(prefix + "\"" + key + "\" is blank");
        }
        return value.asText();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "list";
            case OBJECT -> "object";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
