package dev.stowage.strategy;

import dev.stowage.api.ConfigurationException;
import dev.stowage.api.DriverLoadException;
import dev.stowage.api.ErrorCode;
import dev.stowage.spi.LocationStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocationStrategiesTest {
    @TempDir
    Path dir;

    /** A class loader that sees the built-in providers plus the extra ones listed in a services file of its own. */
    private URLClassLoader withExtraProviders(String... classNames) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(LocationStrategy.class.getName()), String.join("\n", classNames) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void findsEachBuiltInStrategyByName() {
        assertThat(LocationStrategies.names()).containsExactly("location_order", "store_type", "weight");
        assertThat(LocationStrategies.named("location_order")).isInstanceOf(LocationOrderStrategy.class);
        assertThat(LocationStrategies.named("store_type")).isInstanceOf(StoreTypeStrategy.class);
        assertThat(LocationStrategies.named(" weight ")).isInstanceOf(WeightStrategy.class);
    }

    @Test
    void anUnknownNameIsAConfigurationErrorListingTheKnownNamesWithASuggestion() {
        assertThatThrownBy(() -> LocationStrategies.named("wieght"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo("stowage.location-strategy");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_CONFIGURATION);
                })
                .hasMessage("Cannot use location strategy 'wieght': no provider has that name (known: location_order,"
                        + " store_type, weight) (did you mean 'weight'?)");
        assertThatThrownBy(() -> LocationStrategies.named("random"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot use location strategy 'random': no provider has that name (known: location_order,"
                        + " store_type, weight)");
    }

    @Test
    void aNameProvidedTwiceFailsNamingBothProviderClasses() throws IOException {
        try (URLClassLoader loader = withExtraProviders(ImpostorWeightStrategy.class.getName())) {
            assertThatThrownBy(() -> LocationStrategies.named("weight", loader))
                    .isInstanceOfSatisfying(DriverLoadException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DRIVER_LOAD_FAILURE))
                    .hasMessageStartingWith("Cannot load location strategy 'weight': it is provided by 2 classes: ")
                    .hasMessageContaining(WeightStrategy.class.getName())
                    .hasMessageContaining(ImpostorWeightStrategy.class.getName())
                    .hasMessageEndingWith("; keep exactly one of them on the class or module path");
            // other names are not ambiguous and stay usable
            assertThat(LocationStrategies.named("store_type", loader)).isInstanceOf(StoreTypeStrategy.class);
        }
    }

    @Test
    void aBrokenProviderIsSkippedAndNamedWhenTheWantedStrategyIsMissing() throws IOException {
        try (LogCapture log = LogCapture.of(LocationStrategies.class);
             URLClassLoader loader = withExtraProviders(ExplodingStrategy.class.getName(),
                     "dev.stowage.strategy.NoSuchStrategy")) {
            assertThat(LocationStrategies.named("weight", loader)).isInstanceOf(WeightStrategy.class);
            assertThat(LocationStrategies.names(loader)).containsExactly("location_order", "store_type", "weight");

            assertThatThrownBy(() -> LocationStrategies.named("exploding", loader))
                    .isInstanceOfSatisfying(DriverLoadException.class,
                            e -> assertThat(e.getCause()).isInstanceOf(java.util.ServiceConfigurationError.class))
                    .hasMessageStartingWith("Cannot use location strategy 'exploding': no provider has that name"
                            + " (known: location_order, store_type, weight); these providers failed to load and may"
                            + " provide it: " + ExplodingStrategy.class.getName() + " (")
                    .hasMessageContaining("dev.stowage.strategy.NoSuchStrategy (");
            assertThat(log.messages(java.util.logging.Level.WARNING))
                    .anySatisfy(message -> assertThat(message)
                            .startsWith("Skipping location strategy provider " + ExplodingStrategy.class.getName()
                                    + ": "))
                    .anySatisfy(message -> assertThat(message)
                            .startsWith("Skipping location strategy provider dev.stowage.strategy.NoSuchStrategy: "));
        }
    }

    @Test
    void builtInsAreAlsoAvailableWithoutServiceLoader() {
        assertThat(LocationStrategies.locationOrder().name()).isEqualTo(LocationOrderStrategy.NAME);
        assertThat(LocationStrategies.storeType().name()).isEqualTo(StoreTypeStrategy.NAME);
        assertThat(LocationStrategies.weight().name()).isEqualTo(WeightStrategy.NAME);
    }
}
