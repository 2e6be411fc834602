package dev.stowage.spi;

import dev.stowage.api.ConfigurationException;
import dev.stowage.internal.Suggestions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A store's validated configuration: the store name and a typed value for each declared option. Made with
 * {@link #parse}, which rejects unknown keys (suggesting the nearest declared one), values of the wrong type and
 * missing required options, each with a {@link ConfigurationException} naming the full key. {@code toString()}
 * shows secrets as {@code ****}.
 */
public final class StoreConfig {
    private final String storeName;
    private final String keyPrefix;
    private final Map<String, Option<?>> options;
    private final Map<String, Object> values;
    private final java.util.Set<String> given;

    private StoreConfig(String storeName, String keyPrefix, Map<String, Option<?>> options,
                        Map<String, Object> values, java.util.Set<String> given) {
        this.storeName = storeName;
        this.keyPrefix = keyPrefix;
        this.options = options;
        this.values = values;
        this.given = java.util.Set.copyOf(given);
    }

    /**
     * Validates {@code raw} option values (keys are option names without prefix) against {@code declared}.
     *
     * @param keyPrefix the prefix shown in messages, e.g. {@code stowage.stores.images.}
     */
    public static StoreConfig parse(String storeName, String keyPrefix, List<Option<?>> declared,
                                    Map<String, String> raw) {
        requireNonNull(storeName, "storeName is null");
        requireNonNull(keyPrefix, "keyPrefix is null");
        requireNonNull(declared, "declared is null");
        requireNonNull(raw, "raw is null");
        Map<String, Option<?>> options = new LinkedHashMap<>();
        for (Option<?> option : declared) {
            if (options.put(option.name(), option) != null) {
                throw new IllegalStateException("option " + option.name() + " is declared twice");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(new TreeMap<>(raw).keySet());
        unknown.removeAll(options.keySet());
        if (!unknown.isEmpty()) {
            String key = unknown.get(0);
            throw new ConfigurationException(keyPrefix + key, "Cannot configure store " + storeName
                    + ": unknown option '" + keyPrefix + key + "'" + Suggestions.hint(key, options.keySet())
                    + "; known options: " + String.join(", ", options.keySet()));
        }
        for (Option<?> option : options.values()) {
            String text = raw.get(option.name());
            if (text == null) {
                if (option.required()) {
                    throw new ConfigurationException(keyPrefix + option.name(), "Cannot configure store "
                            + storeName + ": option '" + keyPrefix + option.name() + "' is required ("
                            + option.description() + ")");
                }
                option.defaultValue().ifPresent(value -> values.put(option.name(), value));
                continue;
            }
            try {
                values.put(option.name(), option.parse(text));
            } catch (IllegalArgumentException e) {
                String shown = option.secret() ? "****" : "'" + text + "'";
                throw new ConfigurationException(keyPrefix + option.name(), "Cannot configure store " + storeName
                        + ": option '" + keyPrefix + option.name() + "' has invalid value " + shown + ": "
                        + e.getMessage(), null);
            }
        }
        return new StoreConfig(storeName, keyPrefix, options, values, raw.keySet());
    }

    /** Shorthand for {@link #parse} with no key prefix. */
    public static StoreConfig of(String storeName, List<Option<?>> declared, Map<String, String> raw) {
        return parse(storeName, "", declared, raw);
    }

    /** The configured name of the store. */
    public String storeName() {
        return storeName;
    }

    /** The full key of an option as the user writes it, for messages. */
    public String key(Option<?> option) {
        return keyPrefix + option.name();
    }

    /** The value, or the default. */
    public <T> Optional<T> find(Option<T> option) {
        requireDeclared(option);
        @SuppressWarnings("unchecked")
        T value = (T) values.get(option.name());
        return Optional.ofNullable(value);
    }

    /**
     * The value, or the default.
     *
     * @throws ConfigurationException when the option has neither
     */
    public <T> T get(Option<T> option) {
        return find(option).orElseThrow(() -> new ConfigurationException(key(option), "Cannot configure store "
                + storeName + ": option '" + key(option) + "' has no value"));
    }

    /** Whether the configuration gave a value (not counting defaults). */
    public boolean isSet(Option<?> option) {
        requireDeclared(option);
        return given.contains(option.name());
    }

    private void requireDeclared(Option<?> option) {
        if (options.get(option.name()) != option) {
            throw new IllegalArgumentException("option " + option.name() + " is not declared for store " + storeName);
        }
    }

    @Override
    public String toString() {
        StringJoiner shown = new StringJoiner(", ", "StoreConfig[" + storeName + ": ", "]");
        values.forEach((name, value) -> shown.add(name + "=" + display(options.get(name), value)));
        return shown.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> String display(Option<T> option, Object value) {
        return option.display((T) value);
    }
}
