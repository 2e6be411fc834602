package dev.stowage.spi;

import dev.stowage.api.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {
    enum Addressing { PATH, VIRTUAL_HOSTED, AUTO }

    static final Option<Path> DATADIR = Option.builder("datadir", OptionType.PATH).required()
            .description("Directory for images").build();
    static final Option<Long> CHUNK = Option.builder("chunk-size", OptionType.BYTES).defaultValue(65536L)
            .constraint(size -> size >= 4096, "must be at least 4KiB").build();
    static final Option<String> SECRET = Option.builder("secret-key", OptionType.STRING).secret().build();
    static final Option<Boolean> FSYNC = Option.builder("fsync", OptionType.BOOLEAN).defaultValue(true).build();
    static final List<Option<?>> ALL = List.of(DATADIR, CHUNK, SECRET, FSYNC);

    @Test
    void typesParse() {
        assertThat(OptionType.BYTES.parse("5MiB")).isEqualTo(5L << 20);
        assertThat(OptionType.BYTES.parse("64 KiB")).isEqualTo(64L << 10);
        assertThat(OptionType.BYTES.parse("10MB")).isEqualTo(10_000_000L);
        assertThat(OptionType.BYTES.parse("1048576")).isEqualTo(1048576L);
        assertThat(OptionType.DURATION.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(OptionType.DURATION.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(OptionType.DURATION.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(OptionType.OCTAL.parse("0640")).isEqualTo(0640);
        assertThat(OptionType.OCTAL.format(0640)).isEqualTo("0640");
        assertThat(OptionType.STRING_LIST.parse(" file, ,http ,s3")).containsExactly("file", "http", "s3");
        assertThat(OptionType.BOOLEAN.parse("TRUE")).isTrue();
        assertThat(OptionType.URI_TYPE.parse("http://h:9000")).isEqualTo(URI.create("http://h:9000"));
        assertThat(OptionType.enumOf(Addressing.class).parse("virtual-hosted")).isEqualTo(Addressing.VIRTUAL_HOSTED);
        assertThat(OptionType.enumOf(Addressing.class).name()).isEqualTo("path|virtual-hosted|auto");
    }

    @Test
    void typesRejectWithReason() {
        assertThatThrownBy(() -> OptionType.BYTES.parse("5XB")).hasMessageStartingWith("unknown unit 'XB'");
        assertThatThrownBy(() -> OptionType.BYTES.parse("99999999999GiB")).hasMessage("byte count is too large");
        assertThatThrownBy(() -> OptionType.BOOLEAN.parse("yes")).hasMessage("expected true or false");
        assertThatThrownBy(() -> OptionType.INT.parse("1.5")).hasMessage("expected a whole number");
        assertThatThrownBy(() -> OptionType.OCTAL.parse("0999")).hasMessage("expected octal permissions such as 0640");
        assertThatThrownBy(() -> OptionType.URI_TYPE.parse("host:9000/x y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OptionType.DURATION.parse("5 weeks")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OptionType.enumOf(Addressing.class).parse("virtual"))
                .hasMessage("expected one of path, virtual-hosted, auto");
    }

    @Test
    void optionNamesAreChecked() {
        assertThatThrownBy(() -> Option.builder("Data Dir", OptionType.PATH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Data Dir'");
        assertThatThrownBy(() -> Option.builder("x", OptionType.INT).defaultValue(1).required().build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Option.builder("x", OptionType.INT).defaultValue(1)
                .constraint(v -> v > 5, "must be above 5").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be above 5");
    }

    @Test
    void configParsesValuesAndDefaults() {
        StoreConfig config = StoreConfig.parse("images", "stowage.stores.images.", ALL,
                Map.of("datadir", "/var/lib/images", "secret-key", "hunter2"));
        assertThat(config.get(DATADIR)).isEqualTo(Path.of("/var/lib/images"));
        assertThat(config.get(CHUNK)).isEqualTo(65536L);
        assertThat(config.get(FSYNC)).isTrue();
        assertThat(config.isSet(DATADIR)).isTrue();
        assertThat(config.isSet(CHUNK)).isFalse();
        assertThat(config.key(CHUNK)).isEqualTo("stowage.stores.images.chunk-size");
        assertThat(config.toString()).contains("secret-key=****").doesNotContain("hunter2")
                .contains("datadir=/var/lib/images");
        StoreConfig noSecret = StoreConfig.of("images", ALL, Map.of("datadir", "/d"));
        assertThat(noSecret.find(SECRET)).isEmpty();
        assertThatThrownBy(() -> noSecret.get(SECRET)).isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'secret-key' has no value");
    }

    @Test
    void unknownKeySuggestsNearest() {
        assertThatThrownBy(() -> StoreConfig.parse("images", "stowage.stores.images.", ALL,
                Map.of("datadir", "/d", "chunk-szie", "1MiB")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: unknown option 'stowage.stores.images.chunk-szie' "
                        + "(did you mean 'chunk-size'?); known options: datadir, chunk-size, secret-key, fsync")
                .extracting(e -> ((ConfigurationException) e).key())
                .isEqualTo("stowage.stores.images.chunk-szie");
    }

    @Test
    void wrongValuesNameKeyAndValueButNeverSecrets() {
        assertThatThrownBy(() -> StoreConfig.of("images", ALL, Map.of("datadir", "/d", "chunk-size", "1KiB")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'chunk-size' has invalid value '1KiB': "
                        + "must be at least 4KiB");
        assertThatThrownBy(() -> StoreConfig.of("images", ALL, Map.of("datadir", "/d", "fsync", "yes")))
                .hasMessage("Cannot configure store images: option 'fsync' has invalid value 'yes': "
                        + "expected true or false");
        assertThatThrownBy(() -> StoreConfig.of("images", ALL, Map.of("chunk-size", "1MiB")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store images: option 'datadir' is required (Directory for images)");
        Option<Integer> secretNumber = Option.builder("pin", OptionType.INT).secret().build();
        assertThatThrownBy(() -> StoreConfig.of("s", List.of(secretNumber), Map.of("pin", "12x34")))
                .hasMessage("Cannot configure store s: option 'pin' has invalid value ****: expected a whole number");
    }
}
