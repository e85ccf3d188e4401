package dev.hotpool.internal.spring;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.http.client.HttpClientSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * hotpool fails closed on Spring Boot 4.1: whether Boot has {@code InetAddressFilter} is decided by its version, and
 * a member hotpool cannot reach (as in a native image without hotpool's runtime hints) stops the application
 * instead of running without the application's filter. The lookups here fail the way such an image does. Runs on
 * both Boot lines (the members themselves, found for real, are in {@code src/test-boot41}).
 */
class Boot41MembersTests {

    private static final String FILTER_MESSAGE = "hotpool: Spring Boot 4.1.2 passes the application's "
            + "InetAddressFilter (its InetAddressFilter bean: Boot's guard against server-side request forgery) as "
            + "HttpClientSettings.inetAddressFilter()";

    private static final String HINTS_ADVICE = "In a native image, build with Spring AOT (process-aot) so that "
            + "hotpool's runtime hints (dev.hotpool.internal.spring.HotPoolRuntimeHints) are in the image.";

    @Test
    void onBoot41AnUnreachableInetAddressFilterStopsTheApplicationNamingTheSetting() {
        Boot41Members members = Boot41Members.resolve("4.1.2", hiding("inetAddressFilter"));

        assertThatIllegalStateException().isThrownBy(members::check)
            .withMessageStartingWith(FILTER_MESSAGE + " (java.lang.NoSuchMethodException: ")
            .withMessageContaining("but hotpool cannot reach")
            .withMessageEndingWith(HINTS_ADVICE);
    }

    @Test
    void onBoot41EveryReadFailsTooSoNoFactoryRunsUnguarded() {
        Boot41Members members = Boot41Members.resolve("4.1.2", hiding("inetAddressFilter"));

        assertThatIllegalStateException().isThrownBy(() -> members.addressFilter(HttpClientSettings.defaults()))
            .withMessageStartingWith(FILTER_MESSAGE);
        assertThatIllegalStateException().isThrownBy(() -> members.addressFilter(null))
            .withMessageStartingWith(FILTER_MESSAGE);
        assertThatIllegalStateException().isThrownBy(() -> members.cookiesEnabled(HttpClientSettings.defaults()))
            .withMessageStartingWith(FILTER_MESSAGE);
    }

    @Test
    void onBoot41AnUnreachableInetAddressFilterTypeStopsTheApplication() {
        Boot41Members members = Boot41Members.resolve("4.1.2", hiding("org.springframework.boot.http.client"
                + ".InetAddressFilter"));

        assertThatIllegalStateException().isThrownBy(members::check)
            .withMessageStartingWith(FILTER_MESSAGE)
            .withMessageContaining("InetAddressFilter");
    }

    @Test
    void onBoot41AnUnreachableCookieHandlingStopsTheApplicationNamingItsProperty() {
        Boot41Members members = Boot41Members.resolve("4.1.0", hiding("cookieHandling"));

        assertThatIllegalStateException().isThrownBy(members::check)
            .withMessageContaining("spring.http.clients.cookie-handling as HttpClientSettings.cookieHandling() "
                    + "(java.lang.NoSuchMethodException: ")
            .withMessageEndingWith(HINTS_ADVICE);
    }

    @Test
    void onBoot40TheSameMissingMembersMeanThereIsNoFilterToApply() {
        Boot41Members members = Boot41Members.resolve("4.0.7", hiding("inetAddressFilter", "cookieHandling"));

        assertThatNoException().isThrownBy(members::check);
        assertThat(members.addressFilter(HttpClientSettings.defaults())).isNull();
        assertThat(members.cookiesEnabled(HttpClientSettings.defaults())).isFalse();
    }

    @Test
    void withoutAVersionWhatIsFoundDecides() {
        Boot41Members members = Boot41Members.resolve(null, hiding("inetAddressFilter", "cookieHandling"));

        assertThatNoException().isThrownBy(members::check);
        assertThat(members.addressFilter(HttpClientSettings.defaults())).isNull();
    }

    @Test
    void boot41AndLaterHaveTheMembersByVersion() {
        assertThat(Boot41Members.hasBoot41Members("4.1.2")).isTrue();
        assertThat(Boot41Members.hasBoot41Members("4.1.0-SNAPSHOT")).isTrue();
        assertThat(Boot41Members.hasBoot41Members("4.2.0-M1")).isTrue();
        assertThat(Boot41Members.hasBoot41Members("5.0.0")).isTrue();
        assertThat(Boot41Members.hasBoot41Members("4.0.7")).isFalse();
        assertThat(Boot41Members.hasBoot41Members("3.5.9")).isFalse();
        assertThat(Boot41Members.hasBoot41Members(null)).isFalse();
        assertThat(Boot41Members.hasBoot41Members("unknown")).isFalse();
    }

    @Test
    void theApplicationsMembersMatchItsBootLine() {
        // The static instance BootClientSettings uses: on 4.0 nothing to reach, on 4.1 everything reached.
        assertThatNoException().isThrownBy(BootClientSettings::check);
        assertThat(BootClientSettings.addressFilter(HttpClientSettings.defaults())).isNull();
    }

    /** Reflection, except that the named types and methods are not found, as in a native image without hints. */
    static MemberLookup hiding(String... names) {
        Set<String> hidden = Set.of(names);
        return new MemberLookup() {

            @Override
            public Class<?> type(String name) throws ClassNotFoundException {
                if (hidden.contains(name)) {
                    throw new ClassNotFoundException(name);
                }
                return MemberLookup.REFLECTION.type(name);
            }

            @Override
            public Method method(Class<?> type, String name, Class<?>... parameterTypes)
                    throws NoSuchMethodException {
                if (hidden.contains(name)) {
                    throw new NoSuchMethodException(type.getName() + "." + name + "()");
                }
                return MemberLookup.REFLECTION.method(type, name, parameterTypes);
            }

            @Override
            public Constructor<?> constructor(Class<?> type, Class<?>... parameterTypes)
                    throws NoSuchMethodException {
                if (hidden.contains(type.getName())) {
                    throw new NoSuchMethodException(type.getName() + ".<init>");
                }
                return MemberLookup.REFLECTION.constructor(type, parameterTypes);
            }
        };
    }
}
