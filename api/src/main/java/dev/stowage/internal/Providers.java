package dev.stowage.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Finds the providers of a service with {@link ServiceLoader} and groups them by the name they claim (a driver's type,
 * a strategy's name). A provider that cannot be loaded, or whose name cannot be read, does not stop the others: it is
 * kept in {@link Found#broken()} with its class name, for the caller to log and to report when it matters. Not part of
 * the public API.
 */
public final class Providers {
    /** Stops a service loader that keeps failing without moving on (its recovery is best effort). */
    private static final int MAX_ERRORS = 1000;
    private static final Pattern PROVIDER_CLASS = Pattern.compile("Provider ([\\p{L}\\p{N}_$.]+)");

    private Providers() {
    }

    /** A provider that could not be used: its class name (as far as known) and why. */
    public record Broken(String className, String reason, Throwable error) {
        public Broken {
            requireNonNull(className, "className is null");
            requireNonNull(reason, "reason is null");
        }

        @Override
        public String toString() {
            return className + " (" + reason + ")";
        }
    }

    /** The providers that loaded, by claimed name (in discovery order), and the broken ones. */
    public record Found<S>(Map<String, List<S>> byName, List<Broken> broken) {
        public Found {
            Map<String, List<S>> copy = new LinkedHashMap<>();
            byName.forEach((name, list) -> copy.put(name, List.copyOf(list)));
            byName = java.util.Collections.unmodifiableMap(copy);
            broken = List.copyOf(broken);
        }

        /** The providers that claim {@code name}; empty when none. */
        public List<S> named(String name) {
            return byName.getOrDefault(name, List.of());
        }
    }

    /**
     * Loads every provider of {@code service} visible to {@code loader} (when {@code loader} is not null) and adds the
     * {@code explicit} instances. An explicit instance replaces a discovered provider of the same class (it is the same
     * implementation, given twice). Names must be non-blank lower-case text; anything else makes the provider broken.
     *
     * @param loader the class loader to search, or {@code null} to use the explicit instances only
     * @param naming reads a provider's name; a runtime exception there makes the provider broken
     */
    public static <S> Found<S> discover(Class<S> service, ClassLoader loader, List<? extends S> explicit,
                                        Function<? super S, String> naming) {
        requireNonNull(service, "service is null");
        requireNonNull(explicit, "explicit is null");
        requireNonNull(naming, "naming is null");
        List<S> candidates = new ArrayList<>();
        List<Broken> broken = new ArrayList<>();
        if (loader != null) {
            load(service, loader, candidates, broken);
        }
        for (S instance : explicit) {
            requireNonNull(instance, "explicit provider is null");
            candidates.removeIf(found -> found.getClass() == instance.getClass());
            candidates.add(instance);
        }
        Map<String, List<S>> byName = new LinkedHashMap<>();
        for (S candidate : candidates) {
            String name;
            try {
                name = naming.apply(candidate);
            } catch (RuntimeException e) {
                broken.add(new Broken(candidate.getClass().getName(), "its name could not be read: " + e, e));
                continue;
            }
            if (name == null || name.isBlank() || !name.equals(name.trim().toLowerCase(Locale.ROOT))) {
                broken.add(new Broken(candidate.getClass().getName(),
                        "it claims the invalid name " + (name == null ? "null" : "'" + name + "'")
                                + " (names are non-blank lower-case text)", null));
                continue;
            }
            byName.computeIfAbsent(name, key -> new ArrayList<>()).add(candidate);
        }
        return new Found<>(byName, broken);
    }

    private static <S> void load(Class<S> service, ClassLoader loader, List<S> candidates, List<Broken> broken) {
        Iterator<S> iterator = ServiceLoader.load(service, loader).iterator();
        int errors = 0;
        while (errors < MAX_ERRORS) {
            try {
                if (!iterator.hasNext()) {
                    return;
                }
                candidates.add(iterator.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                errors++;
                broken.add(new Broken(providerClass(e), reason(e), e));
            }
        }
        broken.add(new Broken(service.getName(), "gave up after " + MAX_ERRORS + " provider errors", null));
    }

    /** The provider class named in a service loader error, or a placeholder when the error names none. */
    static String providerClass(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            String message = current.getMessage();
            if (message != null) {
                Matcher matcher = PROVIDER_CLASS.matcher(message);
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
        return "(unnamed provider)";
    }

    private static String reason(Throwable error) {
        StringBuilder reason = new StringBuilder(String.valueOf(error.getMessage()));
        Throwable cause = error.getCause();
        if (cause != null && cause != error) {
            reason.append(": ").append(cause);
        }
        return reason.toString();
    }
}
