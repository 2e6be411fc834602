package dev.stowage.tck.runner;

import dev.stowage.api.Capability;
import dev.stowage.spi.Store;
import dev.stowage.spi.StoreConfig;
import dev.stowage.spi.StoreDriver;
import dev.stowage.tck.ContractSettings;
import dev.stowage.tck.StoreContract;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The store contract for a driver found and configured by {@link TckRunner}. Outside the runner it has no setup, and
 * every test fails saying so.
 */
class ConfiguredStoreContract extends StoreContract {
    private static volatile Setup setup;

    /** What the runner configured. */
    record Setup(StoreDriver driver, String storeName, Map<String, String> options, ContractSettings settings,
                 Optional<Set<Capability>> capabilities, Set<String> secrets) {
        Setup {
            requireNonNull(driver, "driver is null");
            requireNonNull(storeName, "storeName is null");
            options = Map.copyOf(options);
            requireNonNull(settings, "settings is null");
            requireNonNull(capabilities, "capabilities is null");
            secrets = Set.copyOf(secrets);
        }

        Store newStore() {
            return driver.create(StoreConfig.parse(storeName, "", driver.options(), options));
        }
    }

    static void configure(Setup value) {
        setup = value;
    }

    private static Setup setup() {
        Setup current = setup;
        if (current == null) {
            throw new IllegalStateException("no driver configured: this class runs only through the kit's runner"
                    + " (java -jar stowage-tck-<version>-runner.jar --driver <type> --config <file>)");
        }
        return current;
    }

    @Override
    protected Store newStore() {
        return setup().newStore();
    }

    @Override
    protected ContractSettings settings() {
        Setup current = setup;
        return current == null ? ContractSettings.defaults() : current.settings();
    }

    @Override
    protected Optional<Set<Capability>> expectedCapabilities() {
        return setup().capabilities();
    }

    @Override
    protected Set<String> secrets() {
        return setup().secrets();
    }
}
