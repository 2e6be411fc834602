package dev.stowage.internal;

import org.junit.jupiter.api.Test;

import java.util.ServiceConfigurationError;

import static org.assertj.core.api.Assertions.assertThat;

class ProvidersTest {
    @Test
    void readsTheProviderClassFromServiceLoaderErrors() {
        assertThat(Providers.providerClass(new ServiceConfigurationError(
                "dev.stowage.spi.StoreDriver: Provider com.example.Foo$Bar could not be instantiated")))
                .isEqualTo("com.example.Foo$Bar");
        assertThat(Providers.providerClass(new ServiceConfigurationError(
                "dev.stowage.spi.StoreDriver: Provider com.example.Missing not found")))
                .isEqualTo("com.example.Missing");
        assertThat(Providers.providerClass(new ServiceConfigurationError("something else")))
                .isEqualTo("(unnamed provider)");
    }
}
