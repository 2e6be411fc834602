package dev.stowage.api;

import static java.util.Objects.requireNonNull;

/**
 * The configuration is wrong: an unknown key, a missing required option, or a value of the wrong type. The message
 * names the key (and the value, unless the option is secret); {@link #key()} gives the key alone.
 */
public class ConfigurationException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigurationException(String key, String message) {
        this(key, message, null);
    }

    public ConfigurationException(String key, String message, Throwable cause) {
        super(ErrorCode.BAD_CONFIGURATION, message, cause);
        this.key = requireNonNull(key, "key is null");
    }

    /** The configuration key at fault, as the user wrote it (or the store/driver name for whole-store problems). */
    public String key() {
        return key;
    }
}
