package dev.stowage.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A driver's declared option: name, type, default, description, whether it is required and whether it is secret.
 * Secret values are never shown in messages, {@code toString()} or logs. Build with {@link #builder(String, OptionType)}.
 */
public final class Option<T> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*");

    private final String name;
    private final OptionType<T> type;
    private final T defaultValue;
    private final String description;
    private final boolean required;
    private final boolean secret;
    private final List<Constraint<T>> constraints;

    private Option(Builder<T> builder) {
        this.name = builder.name;
        this.type = builder.type;
        this.defaultValue = builder.defaultValue;
        this.description = builder.description;
        this.required = builder.required;
        this.secret = builder.secret;
        this.constraints = List.copyOf(builder.constraints);
    }

    public static <T> Builder<T> builder(String name, OptionType<T> type) {
        return new Builder<>(name, type);
    }

    public String name() {
        return name;
    }

    public OptionType<T> type() {
        return type;
    }

    /** The default, if the option has one. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String description() {
        return description;
    }

    /** Whether configuration must give a value (options with a default are never required). */
    public boolean required() {
        return required;
    }

    /** Whether the value is a secret (credentials): never shown anywhere. */
    public boolean secret() {
        return secret;
    }

    /**
     * Parses and checks a configured value.
     *
     * @throws IllegalArgumentException with the reason the value is not acceptable
     */
    public T parse(String text) {
        T value = type.parse(text);
        for (Constraint<T> constraint : constraints) {
            if (!constraint.test().test(value)) {
                throw new IllegalArgumentException(constraint.description());
            }
        }
        return value;
    }

    /** The value as it may be shown: {@code ****} for secrets. */
    public String display(T value) {
        return secret ? "****" : type.format(value);
    }

    @Override
    public String toString() {
        return name + " (" + type.name() + (secret ? ", secret" : "") + ")";
    }

    private record Constraint<T>(Predicate<? super T> test, String description) {
    }

    /** Builds an {@link Option}. */
    public static final class Builder<T> {
        private final String name;
        private final OptionType<T> type;
        private T defaultValue;
        private String description = "";
        private boolean required;
        private boolean secret;
        private final List<Constraint<T>> constraints = new ArrayList<>();

        private Builder(String name, OptionType<T> type) {
            requireNonNull(name, "name is null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("option name '" + name
                        + "' must be lower case letters, digits and single '-', '_' or '.' separators");
            }
            this.name = name;
            this.type = requireNonNull(type, "type is null");
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = requireNonNull(value, "default value is null");
            return this;
        }

        public Builder<T> description(String text) {
            this.description = requireNonNull(text, "description is null");
            return this;
        }

        public Builder<T> required() {
            this.required = true;
            return this;
        }

        public Builder<T> secret() {
            this.secret = true;
            return this;
        }

        /** A check every value must pass; {@code description} says the rule, e.g. "must be at least 5MiB". */
        public Builder<T> constraint(Predicate<? super T> test, String description) {
            constraints.add(new Constraint<>(requireNonNull(test, "test is null"),
                    requireNonNull(description, "description is null")));
            return this;
        }

        public Option<T> build() {
            if (required && defaultValue != null) {
                throw new IllegalStateException("option " + name + " is required and has a default");
            }
            Option<T> option = new Option<>(this);
            if (defaultValue != null) {
                for (Constraint<T> constraint : constraints) {
                    if (!constraint.test().test(defaultValue)) {
                        throw new IllegalStateException("default of option " + name + " breaks its rule: "
                                + constraint.description());
                    }
                }
            }
            return option;
        }
    }
}
