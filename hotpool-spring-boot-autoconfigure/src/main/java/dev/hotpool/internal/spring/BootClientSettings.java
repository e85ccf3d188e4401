package dev.hotpool.internal.spring;

import dev.hotpool.FilteredAddressException;
import dev.hotpool.net.AddressFilter;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.http.client.HttpClientSettings;

/**
 * The parts of Spring Boot's {@link HttpClientSettings} that only Boot 4.1 has: its {@code InetAddressFilter} and its
 * cookie handling, read by name so that one jar runs on Boot 4.0 (where they are absent, and these methods answer
 * "none") and on 4.1. Also makes Boot's own {@code FilteredHostException} from hotpool's refusal.
 *
 * <p>Fails closed: whether this Boot has them is decided by {@link SpringBootVersion} (a constant, kept in a native
 * image), and on Boot 4.1 and later a member hotpool cannot reach (as in a native image built without hotpool's
 * runtime hints) stops the application at {@link #check()} instead of running without the application's filter.
 * See {@link Boot41Members}.
 *
 * <p>Not API: public only because the auto-configuration, in another package, checks and reads the application's
 * filter. Thread-safe.
 */
public final class BootClientSettings {

    private static final Boot41Members MEMBERS = Boot41Members.resolve(SpringBootVersion.getVersion(),
            MemberLookup.REFLECTION);

    private BootClientSettings() {
    }

    /**
     * Fails when this Boot passes settings hotpool cannot reach. Called by the auto-configuration before the pool
     * exists.
     *
     * @throws IllegalStateException naming the settings, e.g. the application's {@code InetAddressFilter}
     */
    public static void check() {
        MEMBERS.check();
    }

    /**
     * The settings' {@code InetAddressFilter} as hotpool's, or {@code null} (none, or Boot 4.0).
     *
     * @throws IllegalStateException when this Boot has a filter setting hotpool cannot reach
     */
    public static AddressFilter addressFilter(HttpClientSettings settings) {
        return MEMBERS.addressFilter(settings);
    }

    /**
     * Whether the settings ask for cookie handling with {@code ENABLE}. {@code ENABLE_WHEN_POSSIBLE}, {@code DISABLE}
     * and no setting (and Boot 4.0) keep none: a pool shared by many clients keeps cookies only when asked to.
     */
    public static boolean cookiesEnabled(HttpClientSettings settings) {
        return MEMBERS.cookiesEnabled(settings);
    }

    /**
     * Boot's {@code FilteredHostException} for a refusal by one of Boot's filters (hotpool's exception as its
     * cause), or {@code null} when the filter is not Boot's or the exception cannot be made.
     */
    public static RuntimeException filteredHost(FilteredAddressException refusal) {
        return MEMBERS.filteredHost(refusal);
    }
}
