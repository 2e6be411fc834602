package dev.stowage.api;

import dev.stowage.internal.Suggestions;
import dev.stowage.spi.OptionType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code stowage.*} keys of a configuration, split by store and checked for shape: known top-level keys, valid
 * store names, each store's type given. Option values are left as text; the drivers' declarations check them later.
 */
final class StoresSettings {
    static final String PREFIX = "stowage";
    static final String STORES = "stowage.stores.";
    /** Keys of the client-side mount table (stowage-strategy's {@code MountTable}): left to it, not checked here. */
    static final String DIRECT = "stowage.direct.";
    static final String DEFAULT_STORE = "stowage.default-store";
    static final String LOCATION_STRATEGY = "stowage.location-strategy";
    static final String STORE_TYPE_PREFERENCE = "stowage.store-type-preference";
    static final String TYPE = "type";
    static final String WEIGHT = "weight";
    static final List<String> TOP_LEVEL = List.of(DEFAULT_STORE, LOCATION_STRATEGY, STORE_TYPE_PREFERENCE);
    static final List<String> RESERVED_OPTIONS = List.of(TYPE, WEIGHT);
    static final Pattern STORE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private static final String KNOWN_KEYS = "stowage.stores.<name>.type, stowage.stores.<name>.weight, "
            + "stowage.stores.<name>.<option>, " + String.join(", ", TOP_LEVEL);

    /** One {@code stowage.stores.<name>.*} section: its type, weight text and the driver's options (raw text). */
    record Section(String name, String type, String weight, Map<String, String> options) {
        String key(String option) {
            return STORES + name + "." + option;
        }
    }

    private final Map<String, Section> sections;
    private final String defaultStore;
    private final String locationStrategy;
    private final List<String> storeTypePreference;
    private final List<String> ignoredKeys;

    private StoresSettings(Map<String, Section> sections, String defaultStore, String locationStrategy,
                           List<String> storeTypePreference, List<String> ignoredKeys) {
        this.sections = sections;
        this.defaultStore = defaultStore;
        this.locationStrategy = locationStrategy;
        this.storeTypePreference = storeTypePreference;
        this.ignoredKeys = ignoredKeys;
    }

    /**
     * Reads the configuration. Keys outside {@code stowage.} are ignored (one properties file may hold other settings)
     * unless they look like a misspelled Stowage key ({@code stowge.stores.a.type}), which is an error.
     */
    static StoresSettings parse(Map<String, String> raw) {
        Map<String, String> sorted = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (key == null) {
                throw new ConfigurationException("(null)", "Cannot configure stowage: a key is null");
            }
            if (value == null) {
                throw new ConfigurationException(key, "Cannot configure stowage: key '" + key + "' has no value");
            }
            sorted.put(key, value);
        });
        Map<String, Map<String, String>> storeKeys = new TreeMap<>();
        String defaultStore = null;
        String locationStrategy = null;
        List<String> preference = List.of();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (!key.startsWith(PREFIX + ".")) {
                checkNotMisspelled(key);
                ignored.add(key);
                continue;
            }
            if (key.startsWith(DIRECT)) {
                ignored.add(key);
                continue;
            }
            if (key.startsWith(STORES)) {
                String rest = key.substring(STORES.length());
                int dot = rest.indexOf('.');
                String name = dot < 0 ? rest : rest.substring(0, dot);
                String option = dot < 0 ? "" : rest.substring(dot + 1);
                checkStoreName(key, name);
                if (option.isEmpty()) {
                    throw new ConfigurationException(key, "Cannot configure store " + name + ": key '" + key
                            + "' names no option; expected " + STORES + name + ".<option>, e.g. " + STORES + name
                            + "." + TYPE);
                }
                storeKeys.computeIfAbsent(name, n -> new TreeMap<>()).put(option, value);
                continue;
            }
            switch (key) {
                case DEFAULT_STORE -> defaultStore = nonBlank(key, value);
                case LOCATION_STRATEGY -> locationStrategy = nonBlank(key, value);
                case STORE_TYPE_PREFERENCE -> preference = OptionType.STRING_LIST.parse(value);
                default -> throw unknownKey(key);
            }
        }
        Map<String, Section> sections = new LinkedHashMap<>();
        storeKeys.forEach((name, options) -> {
            Map<String, String> driverOptions = new TreeMap<>(options);
            String type = driverOptions.remove(TYPE);
            String weight = driverOptions.remove(WEIGHT);
            if (type == null) {
                String near = Suggestions.nearest(TYPE, driverOptions.keySet())
                        .map(typo -> " ('" + STORES + name + "." + typo + "' looks like a misspelling of it)")
                        .orElse("");
                throw new ConfigurationException(STORES + name + "." + TYPE, "Cannot configure store " + name
                        + ": '" + STORES + name + "." + TYPE + "' is not set" + near
                        + "; every store needs a type");
            }
            sections.put(name, new Section(name, nonBlank(STORES + name + "." + TYPE, type), weight,
                    Collections.unmodifiableMap(driverOptions)));
        });
        return new StoresSettings(Collections.unmodifiableMap(sections), defaultStore, locationStrategy,
                preference, List.copyOf(ignored));
    }

    private static String nonBlank(String key, String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            throw new ConfigurationException(key, "Cannot configure stowage: key '" + key + "' is blank");
        }
        return trimmed;
    }

    private static void checkStoreName(String key, String name) {
        if (STORE_NAME.matcher(name).matches()) {
            return;
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String hint = STORE_NAME.matcher(lower).matches() ? " (did you mean '" + lower + "'?)" : "";
        throw new ConfigurationException(key, "Cannot configure stowage: store name '" + name + "' in key '" + key
                + "' is not valid" + hint + "; store names are lower-case letters, digits, '-' and '_', starting "
                + "with a letter or digit");
    }

    /** A key outside {@code stowage.} that is a misspelling of a Stowage key is refused rather than ignored. */
    private static void checkNotMisspelled(String key) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            return;
        }
        String first = key.substring(0, dot);
        String rest = key.substring(dot + 1);
        boolean stowageShaped = rest.startsWith("stores.") || TOP_LEVEL.contains(PREFIX + "." + rest);
        if (stowageShaped && Suggestions.nearest(first, List.of(PREFIX)).isPresent()) {
            String meant = PREFIX + "." + rest;
            throw new ConfigurationException(key, "Cannot configure stowage: unknown key '" + key
                    + "' (did you mean '" + meant + "'?)");
        }
    }

    private static ConfigurationException unknownKey(String key) {
        List<String> candidates = new ArrayList<>(TOP_LEVEL);
        String rest = key.substring(PREFIX.length() + 1);
        int dot = rest.indexOf('.');
        if (dot > 0) {
            // stowage.store.images.type -> stowage.stores.images.type
            candidates.add(STORES + rest.substring(dot + 1));
        }
        Optional<String> nearest = Suggestions.nearest(key, candidates);
        return new ConfigurationException(key, "Cannot configure stowage: unknown key '" + key + "'"
                + nearest.map(name -> " (did you mean '" + name + "'?)").orElse("")
                + "; known keys: " + KNOWN_KEYS);
    }

    /** The store sections by name, sorted by name. */
    Map<String, Section> sections() {
        return sections;
    }

    /** {@code stowage.default-store}, or {@code null}. */
    String defaultStore() {
        return defaultStore;
    }

    /** {@code stowage.location-strategy}, or {@code null}. */
    String locationStrategy() {
        return locationStrategy;
    }

    /** {@code stowage.store-type-preference} as a list (empty when not set). */
    List<String> storeTypePreference() {
        return storeTypePreference;
    }

    /** Keys outside {@code stowage.}, and the {@code stowage.direct.} keys of direct access, that were ignored. */
    List<String> ignoredKeys() {
        return ignoredKeys;
    }
}
