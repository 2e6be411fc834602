package dev.stowage.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private final Redactor redactor = new Redactor(Arrays.asList("s3cret", "s3cret-longer", " ", "", null));

    @Test
    void masksEverySecretLongestFirst() {
        assertThat(redactor.redact("a s3cret-longer and s3cret")).isEqualTo("a **** and ****");
        assertThat(redactor.redact("nothing here")).isEqualTo("nothing here");
        assertThat(redactor.redact(null)).isNull();
        assertThat(Redactor.none().redact("s3cret")).isEqualTo("s3cret");
        assertThat(redactor).hasToString("Redactor[2 secrets]");
    }

    @Test
    void findsSecretsInCausesAndSuppressedExceptions() {
        RuntimeException clean = new RuntimeException("fine", new IllegalStateException("also fine"));
        RuntimeException viaCause = new RuntimeException("fine", new IllegalStateException("key s3cret"));
        RuntimeException viaSuppressed = new RuntimeException("fine");
        viaSuppressed.addSuppressed(new IllegalStateException("s3cret"));
        assertThat(redactor.leaks(clean)).isFalse();
        assertThat(redactor.leaks(viaCause)).isTrue();
        assertThat(redactor.leaks(viaSuppressed)).isTrue();
        assertThat(redactor.safeOrNull(clean)).isSameAs(clean);
        assertThat(redactor.safeOrNull(viaCause)).isNull();
        assertThat(redactor.describe(viaCause))
                .isEqualTo("RuntimeException: fine; caused by IllegalStateException: key ****");
    }

    @Test
    void blankSecretsAreIgnored() {
        assertThat(new Redactor(List.of(" ", "")).redact("a b")).isEqualTo("a b");
    }
}
