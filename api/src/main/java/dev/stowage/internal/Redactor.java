package dev.stowage.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Masks known secret values (the configured values of options declared secret) in text that may reach a message,
 * a {@code toString()} or a log line. A safety net behind the rule that drivers never put a secret in a message: text
 * that comes from outside Stowage (a foreign exception, a driver's message) passes through here before it is shown.
 * Not part of the public API.
 */
public final class Redactor {
    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    /** Blank values are ignored (they cannot leak anything and would match everywhere). */
    public Redactor(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank() && !kept.contains(secret)) {
                kept.add(secret);
            }
        }
        // longest first, so a secret that contains another is masked whole
        kept.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(kept);
    }

    /** A redactor that knows no secret. */
    public static Redactor none() {
        return NONE;
    }

    /** The text with every known secret replaced by {@link #MASK}; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** Whether the text holds a known secret. */
    public boolean contains(String text) {
        if (text == null) {
            return false;
        }
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a secret appears anywhere in the throwable: its messages, its causes' and suppressed exceptions'
     * messages, or their {@code toString()}. A throwable for which this holds must not be logged or attached as a
     * cause.
     */
    public boolean leaks(Throwable error) {
        if (error == null || secrets.isEmpty()) {
            return false;
        }
        return leaks(error, new IdentityHashMap<>());
    }

    private boolean leaks(Throwable error, Map<Throwable, Boolean> seen) {
        if (error == null || seen.put(error, Boolean.TRUE) != null) {
            return false;
        }
        if (contains(error.getMessage()) || contains(error.getLocalizedMessage()) || contains(safeToString(error))) {
            return true;
        }
        for (Throwable suppressed : error.getSuppressed()) {
            if (leaks(suppressed, seen)) {
                return true;
            }
        }
        return leaks(error.getCause(), seen);
    }

    /** The throwable when it holds no secret, else {@code null} (for use as a cause or a log argument). */
    public Throwable safeOrNull(Throwable error) {
        return leaks(error) ? null : error;
    }

    /**
     * A one-line, redacted description of the throwable and its causes: {@code Type: message; caused by Type:
     * message}.
     */
    public String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable current = error;
        while (current != null && seen.put(current, Boolean.TRUE) == null) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(current.getClass().getSimpleName());
            String message = current.getMessage();
            if (message != null) {
                text.append(": ").append(message);
            }
            current = current.getCause();
        }
        return redact(text.toString());
    }

    private static String safeToString(Throwable error) {
        try {
            return Objects.toString(error);
        } catch (RuntimeException e) {
            return error.getClass().getName();
        }
    }

    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " secrets]";
    }
}
