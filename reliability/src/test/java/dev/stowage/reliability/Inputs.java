package dev.stowage.reliability;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.List;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/** QuickTheories generators of hostile input: image ids, URI parts, offsets and lengths. */
final class Inputs {
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** Pieces that break ids and paths: traversal, separators, encodings, controls, look-alikes, device names. */
    static final List<String> NASTY = List.of("..", ".", "/", "\\", "%2e", "%2e%2e", "%2F", "%00", "\u0000", "\n",
            "\r", "\t", " ", "a", "Z9", "-", "_", "~", "*", "?", ":", "$(id)", "`x`", "CON", "NUL", "é", "\u00e9",
            "\uff0e", "\u2024", "\u202e", "\ufeff", "\ud83d\ude00", "\ud800", "%", "%%", "+", "#", ";", "&", "'", "\"",
            "<", ">", "|", "@", "!", "0", "x".repeat(120), ".stowage-tmp-", "image.qcow2");

    private Inputs() {
    }

    private static Gen<String> fromAlphabet(String alphabet, int min, int max) {
        return lists().of(integers().between(0, alphabet.length() - 1)).ofSizeBetween(min, max)
                .map(indexes -> {
                    StringBuilder text = new StringBuilder();
                    indexes.forEach(index -> text.append(alphabet.charAt(index)));
                    return text.toString();
                });
    }

    /** Ids that follow the rule: a letter or digit, then up to 199 of [A-Za-z0-9._-]. */
    static Gen<String> validIds() {
        return fromAlphabet(ALNUM, 1, 1).zip(fromAlphabet(ID_CHARS, 0, 199), (first, rest) -> first + rest);
    }

    /** Anything a client could send as an image id. */
    static Gen<String> imageIds() {
        Gen<String> joined = lists().of(Generate.pick(NASTY)).ofSizeBetween(1, 6).map(parts -> String.join("", parts));
        Gen<String> near = validIds().zip(Generate.pick(NASTY), integers().between(0, 2), (id, nasty, where) ->
                where == 0 ? nasty + id : where == 1 ? id + nasty : id.substring(0, id.length() / 2) + nasty
                        + id.substring(id.length() / 2));
        Gen<String> longOnes = fromAlphabet(ID_CHARS, 195, 260).map(rest -> "a" + rest);
        return Generate.frequency(List.of(
                org.quicktheories.api.Pair.of(20, validIds()),
                org.quicktheories.api.Pair.of(20, joined),
                org.quicktheories.api.Pair.of(20, near),
                org.quicktheories.api.Pair.of(15, strings().basicLatinAlphabet().ofLengthBetween(0, 40)),
                org.quicktheories.api.Pair.of(15, strings().allPossible().ofLengthBetween(0, 12)),
                org.quicktheories.api.Pair.of(10, longOnes)));
    }

    /** Offsets and lengths around an object of at most {@code near} bytes, and the extremes of a long. */
    static Gen<Long> offsetsOrLengths(int near) {
        return Generate.frequency(List.of(
                org.quicktheories.api.Pair.of(60, longs().between(0, near + 3)),
                org.quicktheories.api.Pair.of(10, longs().between(-3, 0)),
                org.quicktheories.api.Pair.of(10, Generate.pick(List.of(-1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE,
                        Long.MAX_VALUE - 1, (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 40))),
                org.quicktheories.api.Pair.of(20, longs().all())));
    }

    /** A path of 0 to {@code max} segments from {@code segments}, joined with '/'. */
    static Gen<String> segments(List<String> segments, int max) {
        return lists().of(Generate.pick(segments)).ofSizeBetween(0, max).map(parts -> String.join("/", parts));
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
