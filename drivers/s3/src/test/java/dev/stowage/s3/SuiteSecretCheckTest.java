package dev.stowage.s3;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other test class of the module (class order by {@code @Order}, see
 * {@code junit-platform.properties}) and asserts that the {@link SuiteWatch} found no secret key in any log record,
 * line of output, error or shown value of the whole suite. It first checks that the watch really saw the suite (the
 * S3 test classes, thousands of log records, hundreds of errors), so an empty result means something. Run alone, it
 * has nothing to check and reports itself skipped.
 */
@Order(Integer.MAX_VALUE)
class SuiteSecretCheckTest {
    @Test
    void noSecretKeyAnywhereInTheSuite() {
        SuiteWatch watch = SuiteWatch.started();
        Assumptions.assumeTrue(watch != null && watch.classes().contains(S3StoreTest.class.getName()),
                "the secret watch covers the whole module suite: run all S3 tests (mvn -pl drivers/s3 -am verify)");

        System.out.println("Suite secret watch: " + watch.summary());
        assertThat(watch.classes()).as("test classes watched").contains(S3StoreTest.class.getName(),
                S3ProxyStoreContractTest.class.getName(), MultipartAbortTest.class.getName(),
                SecretLeakTest.class.getName(), S3SettingsTest.class.getName(), S3LocationsTest.class.getName());
        assertThat(watch.records()).as("log records watched").isGreaterThan(10_000);
        assertThat(watch.errors()).as("errors watched").isGreaterThan(100);
        assertThat(watch.leaks()).as("places where a secret key was seen").isEmpty();
    }
}
