package dev.stowage.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {
    @Test
    void suggestsTyposButNotStrangers() {
        List<String> known = List.of("datadir", "datadirs", "chunk-size", "metadata-file", "fsync");
        assertThat(Suggestions.nearest("datadri", known)).contains("datadir");
        assertThat(Suggestions.nearest("chunksize", known)).contains("chunk-size");
        assertThat(Suggestions.nearest("metadata_file", known)).contains("metadata-file");
        assertThat(Suggestions.nearest("endpoint", known)).isEmpty();
        assertThat(Suggestions.hint("fsnyc", known)).isEqualTo(" (did you mean 'fsync'?)");
        assertThat(Suggestions.hint("x", List.of())).isEmpty();
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
    }
}
