package dev.stowage.tck;

import dev.stowage.api.StoreException;
import org.opentest4j.AssertionFailedError;

import java.util.function.Supplier;

/**
 * The kit's assertions. Every failure message names the rule, says what happened and ends with a hint:
 * {@code S5 (exclusive create ...): <what happened>. If this fails, check <hint>.}
 */
final class Checks {
    private Checks() {
    }

    /** A call that may throw anything. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    static String message(Rule rule, String what, String hint) {
        return rule.id() + " (" + rule.title() + ") violated: " + what + ". If this fails, check " + hint + ".";
    }

    static AssertionFailedError failure(Rule rule, String what, String hint) {
        return new AssertionFailedError(message(rule, what, hint));
    }

    static AssertionFailedError failure(Rule rule, String what, String hint, Throwable cause) {
        return new AssertionFailedError(message(rule, what, hint), cause);
    }

    static void check(boolean condition, Rule rule, Supplier<String> what, String hint) {
        if (!condition) {
            throw failure(rule, what.get(), hint);
        }
    }

    static void checkEquals(Object expected, Object actual, Rule rule, String what, String hint) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionFailedError(message(rule, what + ": expected <" + expected + "> but was <" + actual
                    + ">", hint), expected, actual);
        }
    }

    /**
     * Runs {@code call}, which must fail with {@code type}. Also checks the S10 message style ({@code Cannot ...})
     * and that the message mentions each of {@code mentions}.
     *
     * @param action what the call does, for messages (e.g. "get of missing object memory://x/y")
     */
    static <T extends StoreException> T expectFailure(Rule rule, Class<T> type, String action, String hint, Call call,
                                                      String... mentions) {
        Throwable thrown = null;
        try {
            call.run();
        } catch (Throwable t) {
            thrown = t;
        }
        if (thrown == null) {
            throw failure(rule, action + " returned normally; it must fail with " + type.getSimpleName(), hint);
        }
        if (thrown instanceof org.opentest4j.TestAbortedException aborted) {
            throw aborted;
        }
        if (!type.isInstance(thrown)) {
            throw failure(rule, action + " failed with " + thrown + "; it must fail with " + type.getName(), hint,
                    thrown);
        }
        T error = type.cast(thrown);
        checkStyle(rule, action, error);
        for (String mention : mentions) {
            if (mention != null && !error.getMessage().contains(mention)) {
                throw failure(rule, action + " failed with a message that does not name '" + mention + "': "
                        + error.getMessage(), "that the error says which object or location it is about (S10)",
                        error);
            }
        }
        return error;
    }

    /** S10 message style: {@code Cannot <verb> <location>: <reason>}, no control characters. */
    static void checkStyle(Rule rule, String action, StoreException error) {
        String message = error.getMessage();
        if (message == null || !message.startsWith("Cannot ") || !message.contains(": ")) {
            throw failure(rule, action + " failed with " + error.getClass().getSimpleName() + " whose message does not"
                            + " follow S10 'Cannot <verb> <location>: <reason>': " + message,
                    "the message of the error thrown at the driver edge (S10 message style)", error);
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t') {
                throw failure(rule, action + " failed with a message holding control character U+"
                                + String.format("%04X", (int) c) + " at index " + i,
                        "that ids and URIs are escaped in messages (ImageIds.quote)", error);
            }
        }
    }

    /** Whether {@code cause} is {@code error} or among its causes. */
    static boolean causedBy(Throwable error, Throwable cause) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t == cause) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** First line of a throwable's text, for reports. */
    static String firstLine(Throwable t) {
        String text = String.valueOf(t.getMessage() == null ? t.toString() : t.getMessage());
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
