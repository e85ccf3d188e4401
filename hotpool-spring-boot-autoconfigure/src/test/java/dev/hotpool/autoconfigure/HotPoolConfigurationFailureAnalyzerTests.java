package dev.hotpool.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link HotPoolConfigurationFailureAnalyzer}: what a user sees when an application with an
 * invalid {@code hotpool.*} value fails to start.
 */
@ExtendWith(OutputCaptureExtension.class)
class HotPoolConfigurationFailureAnalyzerTests {

    @Test
    void invalidCombinationIsReportedWithDescriptionAndAction(CapturedOutput output) {
        assertThatException()
            .isThrownBy(() -> start("--hotpool.max-conns-per-host=50", "--hotpool.max-connections=20"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Invalid hotpool configuration: "
                    + "hotpool.max-conns-per-host (50) must not exceed hotpool.max-connections (20)")
            .contains("Update hotpool.max-conns-per-host and/or hotpool.max-connections in your application's "
                    + "configuration");
    }

    @Test
    void negativeDurationIsReportedNamingTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--hotpool.read-timeout=-5s"));
        assertThat(output)
            .contains("Invalid hotpool configuration: hotpool.read-timeout (PT-5S) must be greater than 0")
            .contains("Update hotpool.read-timeout in your application's configuration");
    }

    @Test
    void unknownTlsBundleIsReportedNamingThePropertyAndTheBundle(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--hotpool.tls.bundle=no-such-bundle"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Invalid value 'no-such-bundle' for configuration property 'hotpool.tls.bundle'")
            .contains("no SSL bundle named 'no-such-bundle' is defined");
    }

    @Test
    void otherIllegalArgumentsAreLeftToOtherAnalyzers() {
        assertThat(new HotPoolConfigurationFailureAnalyzer().analyze(new IllegalArgumentException("something else")))
            .isNull();
        assertThat(new HotPoolConfigurationFailureAnalyzer().analyze(new IllegalArgumentException((String) null)))
            .isNull();
    }

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(FailingApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args).close();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SslAutoConfiguration.class, HotPoolAutoConfiguration.class })
    static class FailingApplication {

    }
}
