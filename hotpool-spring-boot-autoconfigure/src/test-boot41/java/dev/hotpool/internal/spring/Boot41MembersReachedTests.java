package dev.hotpool.internal.spring;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;

import dev.hotpool.FilteredAddressException;
import dev.hotpool.net.AddressFilter;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.http.client.FilteredHostException;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpCookieHandling;
import org.springframework.boot.http.client.InetAddressFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * On Spring Boot 4.1 hotpool's runtime hints are exactly what {@link BootClientSettings} needs: a lookup that only
 * finds what the hints register (as a native image does) reaches every member, and one with no hints stops the
 * application. Runs only with {@code -Pboot41}.
 */
class Boot41MembersReachedTests {

    private static final String VERSION = SpringBootVersion.getVersion();

    @Test
    void throughHotpoolsRuntimeHintsEveryMemberIsReachedAndTheFilterApplies() throws Exception {
        RuntimeHints hints = new RuntimeHints();
        new HotPoolRuntimeHints().registerHints(hints, getClass().getClassLoader());
        Boot41Members members = Boot41Members.resolve(VERSION, onlyWhatHintsRegister(hints));

        assertThatNoException().isThrownBy(members::check);
        HttpClientSettings settings = HttpClientSettings.defaults()
            .withInetAddressFilter(InetAddressFilter.externalAddresses())
            .withCookieHandling(HttpCookieHandling.ENABLE);
        AddressFilter filter = members.addressFilter(settings);
        assertThat(filter.allows(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(filter.allows(InetAddress.getByName("192.0.2.10"))).isFalse();
        assertThat(filter.allows(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(members.cookiesEnabled(settings)).isTrue();
        RuntimeException boots = members.filteredHost(new FilteredAddressException("internal.example",
                InetAddress.getByName("127.0.0.1"), filter));
        assertThat(boots).isInstanceOf(FilteredHostException.class);
        assertThat(((FilteredHostException) boots).getHost()).isEqualTo("internal.example");
    }

    @Test
    void withoutHintsNothingIsReachedAndTheApplicationStopsNamingBothSettings() {
        Boot41Members members = Boot41Members.resolve(VERSION, onlyWhatHintsRegister(new RuntimeHints()));

        assertThatIllegalStateException().isThrownBy(members::check)
            .withMessageStartingWith("hotpool: Spring Boot " + VERSION + " passes the application's InetAddressFilter")
            .withMessageContaining(", and spring.http.clients.cookie-handling as HttpClientSettings.cookieHandling()")
            .withMessageContaining("hotpool cannot reach them, so it stops rather than run without them.");
    }

    @Test
    void whenOnlyFilteredHostExceptionIsMissingARefusalIsRaisedAsHotpoolsOwn() throws Exception {
        Boot41Members members = Boot41Members.resolve(VERSION,
                Boot41MembersTests.hiding(FilteredHostException.class.getName()));

        assertThatNoException().isThrownBy(members::check);
        AddressFilter filter = members
            .addressFilter(HttpClientSettings.defaults().withInetAddressFilter(InetAddressFilter.externalAddresses()));
        assertThat(members.filteredHost(new FilteredAddressException("localhost", InetAddress.getByName("127.0.0.1"),
                filter))).isNull();
    }

    @Test
    void theApplicationReachesTheMembers() {
        assertThatNoException().isThrownBy(BootClientSettings::check);
        assertThat(BootClientSettings.addressFilter(
                HttpClientSettings.defaults().withInetAddressFilter(InetAddressFilter.externalAddresses())))
            .isNotNull();
    }

    /** Reflection that finds only what the hints register, as a native image built with them. */
    private static MemberLookup onlyWhatHintsRegister(RuntimeHints hints) {
        return new MemberLookup() {

            @Override
            public Class<?> type(String name) throws ClassNotFoundException {
                if (!RuntimeHintsPredicates.reflection().onType(TypeReference.of(name)).test(hints)) {
                    throw new ClassNotFoundException(name);
                }
                return MemberLookup.REFLECTION.type(name);
            }

            @Override
            public Method method(Class<?> type, String name, Class<?>... parameterTypes)
                    throws NoSuchMethodException {
                Method method = MemberLookup.REFLECTION.method(type, name, parameterTypes);
                if (!RuntimeHintsPredicates.reflection().onMethodInvocation(method).test(hints)) {
                    throw new NoSuchMethodException(type.getName() + "." + name);
                }
                return method;
            }

            @Override
            public Constructor<?> constructor(Class<?> type, Class<?>... parameterTypes)
                    throws NoSuchMethodException {
                Constructor<?> constructor = MemberLookup.REFLECTION.constructor(type, parameterTypes);
                if (!RuntimeHintsPredicates.reflection().onConstructorInvocation(constructor).test(hints)) {
                    throw new NoSuchMethodException(type.getName() + ".<init>");
                }
                return constructor;
            }
        };
    }
}
