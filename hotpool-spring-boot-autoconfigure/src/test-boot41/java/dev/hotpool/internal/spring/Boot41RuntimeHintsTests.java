package dev.hotpool.internal.spring;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.http.client.FilteredHostException;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.InetAddressFilter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HotPoolRuntimeHints} on Spring Boot 4.1: one test per hint. Runs only with {@code -Pboot41}. */
class Boot41RuntimeHintsTests {

    private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    private final RuntimeHints hints = new RuntimeHints();

    Boot41RuntimeHintsTests() {
        new HotPoolRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void theSettingsInetAddressFilterCanBeRead() throws NoSuchMethodException {
        assertThat(reflection.onMethodInvocation(HttpClientSettings.class.getMethod("inetAddressFilter")))
            .accepts(this.hints);
    }

    @Test
    void theSettingsCookieHandlingCanBeRead() throws NoSuchMethodException {
        assertThat(reflection.onMethodInvocation(HttpClientSettings.class.getMethod("cookieHandling")))
            .accepts(this.hints);
    }

    @Test
    void theFilterCanBeAskedAboutAnAddress() throws NoSuchMethodException {
        assertThat(reflection.onMethodInvocation(InetAddressFilter.class.getMethod("matches", InetAddress.class)))
            .accepts(this.hints);
    }

    @Test
    void bootsFilteredHostExceptionCanBeMade() throws NoSuchMethodException {
        assertThat(reflection.onConstructorInvocation(
                FilteredHostException.class.getDeclaredConstructor(String.class, InetAddressFilter.class)))
            .accepts(this.hints);
    }
}
