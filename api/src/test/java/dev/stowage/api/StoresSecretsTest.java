package dev.stowage.api;

import dev.stowage.testing.FaultyStoreDriver;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The configured values of secret options never appear in {@code toString()}, in error messages (with their causes and
 * stack traces) or in log lines, through configuration, adds, fan-out failures, failover reads and close.
 */
class StoresSecretsTest {
    private static final String ACCESS_KEY = "AKIA-very-secret-access-key-4711";
    private static final String PASSWORD = "correct-horse-battery-staple";

    private final List<String> shown = new ArrayList<>();

    private void show(Throwable error) {
        assertThat(error).isNotNull();
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        shown.add(trace.toString());
        shown.add(String.valueOf(error));
    }

    private Map<String, String> config(String nsA, String nsB) {
        Map<String, String> config = new HashMap<>();
        config.put("stowage.stores.a.type", "memory");
        config.put("stowage.stores.a.namespace", nsA);
        config.put("stowage.stores.a.access-key", ACCESS_KEY);
        config.put("stowage.stores.b.type", "faulty");
        config.put("stowage.stores.b.namespace", nsB);
        config.put("stowage.stores.b.password", PASSWORD);
        config.put("stowage.stores.b.fail-adds-at-end", "true");
        config.put("stowage.stores.b.dead", "true");
        config.put("stowage.stores.b.fail-close", "true");
        config.put("stowage.default-store", "a");
        return config;
    }

    @Test
    void noSecretInToStringMessagesOrLogs() throws IOException {
        String nsA = TestData.namespace("secret-a");
        String nsB = TestData.namespace("secret-b");
        try (LogCapture log = new LogCapture()) {
            Stores stores = Stores.builder().driver(new FaultyStoreDriver()).configuration(config(nsA, nsB)).build();
            shown.add(stores.toString());
            assertThat(stores.toString()).contains("access-key=****").contains("password=****");

            byte[] data = TestData.bytes(200_000, 40);
            show(catchThrowable(() -> stores.addAll(List.of("a", "b"), "img", new ByteArrayInputStream(data),
                    data.length, FanOutMode.ALL_MUST_SUCCEED)));
            FanOutResult partial = stores.addAll(List.of("a", "b"), "img2", new ByteArrayInputStream(data),
                    data.length, FanOutMode.BEST_EFFORT);
            shown.add(partial.toString());
            partial.failed().values().forEach(this::show);

            Location good = partial.added().get("a").location();
            Location dead = Location.of(URI.create("faulty://" + nsB + "/img2"), "b", Map.of());
            try (InputStream in = stores.open(List.of(dead, good), ExpectedContent.of(partial.added().get("a")))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            show(catchThrowable(() -> stores.open(List.of(dead))));
            show(catchThrowable(() -> stores.store("c")));
            show(catchThrowable(stores::close));

            // configuration errors that involve secret options
            Map<String, String> leaky = config(TestData.namespace("s"), TestData.namespace("s"));
            leaky.put("stowage.stores.b.fail-create", "true");
            show(catchThrowable(() -> Stores.builder().driver(new FaultyStoreDriver()).configuration(leaky)
                    .build()));
            Map<String, String> typo = config(TestData.namespace("s"), TestData.namespace("s"));
            typo.put("stowage.stores.a.acess-key", ACCESS_KEY);
            show(catchThrowable(() -> Stores.fromMap(typo)));

            List<String> lines = log.lines();
            assertThat(lines).as("the scenario logs something at every level it exercises")
                    .anySatisfy(line -> assertThat(line).startsWith("INFO").contains("Configured Stores["))
                    .anySatisfy(line -> assertThat(line).startsWith("WARNING").contains("Read attempt 1 of 2 failed"))
                    .anySatisfy(line -> assertThat(line).startsWith("WARNING").contains("Cannot create store b"));
            shown.addAll(lines);
        }
        assertThat(shown).hasSizeGreaterThan(15);
        assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(ACCESS_KEY).doesNotContain(PASSWORD));
        assertThat(String.join("\n", shown)).contains("****");
    }

    @Test
    void aForeignExceptionHoldingASecretIsNotAttachedAsCause() {
        Map<String, String> config = config(TestData.namespace("s"), TestData.namespace("s"));
        config.put("stowage.stores.b.fail-create", "true");
        assertThatThrownBy(() -> Stores.builder().driver(new FaultyStoreDriver()).configuration(config).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot create store b (type faulty): IllegalStateException: cannot log in to the backend "
                        + "with password ****")
                .hasNoCause();
    }

    @Test
    void anInvalidSecretValueIsNotEchoed() {
        Map<String, String> config = new HashMap<>();
        config.put("stowage.stores.a.type", "secretive");
        config.put("stowage.stores.a.token", "tok-" + PASSWORD);
        assertThatThrownBy(() -> Stores.builder().driver(new SecretiveDriver()).configuration(config).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot configure store a: option 'stowage.stores.a.token' has invalid value ****: must "
                        + "start with 'key-'")
                .message().doesNotContain(PASSWORD);
    }

    /** A driver with a secret option that has a rule. */
    static final class SecretiveDriver implements dev.stowage.spi.StoreDriver {
        static final dev.stowage.spi.Option<String> TOKEN = dev.stowage.spi.Option
                .builder("token", dev.stowage.spi.OptionType.STRING).secret().required()
                .constraint(value -> value.startsWith("key-"), "must start with 'key-'").build();

        @Override
        public String type() {
            return "secretive";
        }

        @Override
        public java.util.Set<String> schemes() {
            return java.util.Set.of("secretive");
        }

        @Override
        public List<dev.stowage.spi.Option<?>> options() {
            return List.of(TOKEN);
        }

        @Override
        public dev.stowage.spi.Store create(dev.stowage.spi.StoreConfig config) {
            throw new AssertionError("never created in these tests");
        }
    }
}
