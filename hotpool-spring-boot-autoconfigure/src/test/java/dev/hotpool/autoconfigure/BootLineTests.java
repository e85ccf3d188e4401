package dev.hotpool.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite runs on the Spring Boot line the build names: 4.0.x by default, 4.1.x with {@code -Pboot41}. */
class BootLineTests {

    @Test
    void testsRunOnTheSpringBootVersionTheBuildNames() {
        String expected = System.getProperty("expected.spring-boot.version");
        assertThat(expected).as("set by the build (surefire's systemPropertyVariables)").isNotBlank();
        assertThat(SpringBootVersion.getVersion()).isEqualTo(expected);
    }
}
