package dev.stowage.tck;

import java.util.Locale;
import java.util.Optional;

/**
 * The rules the kit checks. Store rules S1-S14 are those of the store contract (see the project's design document);
 * L1-L6 are the location-strategy rules; KIT covers the implementer's own declarations. Every test of the kit is
 * named {@code <rule id in lower case>_<what it checks>}, so its rule is read off its name ({@link #ofTest(String)}).
 * The ids are stable: reports, deviations and error messages cite them.
 */
public enum Rule {
    KIT("the implementer's declarations (settings, deviations, capabilities)"),
    S1("streaming: add and get stream any size, also of unknown size"),
    S2("add result: location, bytes written, MD5 and multihash"),
    S3("size: a shorter or longer stream than declared fails and stores nothing"),
    S4("atomic visibility: readable only after add returns; a failed add leaves nothing"),
    S5("exclusive create: a duplicate add fails and keeps the existing object; one winner under a race"),
    S6("reads: exact bytes for whole, ranged and tail reads; range errors; stream close"),
    S7("not found: get, size and delete of a missing object fail naming the location"),
    S8("delete: after delete, reads fail with not-found"),
    S9("locations: round trip, foreign schemes, malformed URIs, unsafe ids, no credentials"),
    S10("errors: typed, 'Cannot <verb> <location>: <reason>', cause kept, never a secret"),
    S11("capabilities: stable, as declared; an undeclared operation fails as unsupported"),
    S12("concurrency: one store instance serves many threads"),
    S13("lifecycle: close is idempotent; a closed store refuses work"),
    S14("metadata: the store's metadata is attached to every location"),
    L1("strategy result is a permutation of the input: nothing lost, nothing duplicated"),
    L2("strategy is deterministic"),
    L3("strategy is stable: equal locations keep their relative order"),
    L4("strategy maps an empty list to an empty list"),
    L5("strategy rejects a null list or null element with a NullPointerException saying which"),
    L6("strategy leaves its input list untouched");

    private final String title;

    Rule(String title) {
        this.title = title;
    }

    /** The rule id as cited in messages, e.g. {@code S5}. */
    public String id() {
        return name();
    }

    /** What the rule demands, in one line. */
    public String title() {
        return title;
    }

    /** The rule a kit test checks, read from the test method's name ({@code s5_...} gives {@link #S5}). */
    public static Optional<Rule> ofTest(String testMethodName) {
        if (testMethodName == null) {
            return Optional.empty();
        }
        int underscore = testMethodName.indexOf('_');
        if (underscore <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(testMethodName.substring(0, underscore).toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
