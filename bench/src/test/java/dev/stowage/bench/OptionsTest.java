package dev.stowage.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {
    @Test
    void defaultsAreTheFullRun() {
        Options options = Options.parse();

        assertThat(options.size()).isEqualTo(1L << 30);
        assertThat(options.runs()).isEqualTo(5);
        assertThat(options.memSizes()).containsExactly(64L << 20, 256L << 20, 2L << 30);
        assertThat(options.groups()).containsExactlyInAnyOrderElementsOf(Options.GROUPS);
    }

    @Test
    void sizesTakeBinaryUnits() {
        Options options = Options.parse("--size", "64m", "--mem-sizes", "16m, 1g,4096", "--only", "file,memory");

        assertThat(options.size()).isEqualTo(64L << 20);
        assertThat(options.memSizes()).containsExactly(16L << 20, 1L << 30, 4096L);
        assertThat(options.runs("file")).isTrue();
        assertThat(options.runs("micro")).isFalse();
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> Options.parse("--size", "lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --size: 'lots' is not a size (e.g. 1048576, 64k, 64m, 2g)");
        assertThatThrownBy(() -> Options.parse("--runs", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --runs: must be positive, not 0");
        assertThatThrownBy(() -> Options.parse("--only", "file,disk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --only: unknown part 'disk' (known: micro, file, direct, http, s3, memory)");
        assertThatThrownBy(() -> Options.parse("--runs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --runs needs a value");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(Stats.of(List.of(3, 1, 2))).isEqualTo(new Stats(2, 1, 3, 3));
        assertThat(Stats.of(List.of(4, 1, 2, 3))).isEqualTo(new Stats(2.5, 1, 4, 4));
    }
}
