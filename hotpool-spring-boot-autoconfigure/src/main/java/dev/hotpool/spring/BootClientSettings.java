package dev.hotpool.spring;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.hotpool.FilteredAddressException;
import dev.hotpool.net.AddressFilter;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.http.client.HttpClientSettings;

/**
 * The parts of Spring Boot's {@link HttpClientSettings} that only Boot 4.1 has: its {@code InetAddressFilter} and its
 * cookie handling, read by reflection so that one jar runs on Boot 4.0 (where they are absent, and these methods
 * answer "none") and on 4.1. Also makes Boot's own {@code FilteredHostException} from hotpool's refusal.
 *
 * <p>Not API: public only because the auto-configuration, in another package, reads the application's filter.
 *
 * <p>Thread-safe. Boot's filters are adapted once per filter object (kept in a map for the application's life:
 * there is one per bean or per service group, never one per request), so factories with one filter share
 * connections and factories with different filters do not.
 */
public final class BootClientSettings {

    private static final Log logger = LogFactory.getLog(BootClientSettings.class);

    private static final String PACKAGE = "org.springframework.boot.http.client.";

    private static final Method INET_ADDRESS_FILTER = settingsMethod("inetAddressFilter");

    private static final Method COOKIE_HANDLING = settingsMethod("cookieHandling");

    /** {@code boolean matches(InetAddress)} of Boot's filter, typed {@code (Object, InetAddress) boolean}. */
    private static final MethodHandle MATCHES = matches();

    private static final Constructor<?> FILTERED_HOST = filteredHostConstructor();

    /** Boot filter to its adapter; one per filter object, for the application's life. */
    private static final Map<Object, AddressFilter> adapters = new ConcurrentHashMap<>();

    private BootClientSettings() {
    }

    /** The settings' {@code InetAddressFilter} as hotpool's, or {@code null} (none, or Boot 4.0). */
    public static AddressFilter addressFilter(HttpClientSettings settings) {
        Object filter = call(INET_ADDRESS_FILTER, settings);
        return (filter != null && MATCHES != null) ? adapters.computeIfAbsent(filter, BootAddressFilter::new) : null;
    }

    /**
     * Whether the settings ask for cookie handling with {@code ENABLE}. {@code ENABLE_WHEN_POSSIBLE}, {@code DISABLE}
     * and no setting (and Boot 4.0) keep none: a pool shared by many clients keeps cookies only when asked to.
     */
    static boolean cookiesEnabled(HttpClientSettings settings) {
        Object handling = call(COOKIE_HANDLING, settings);
        return handling instanceof Enum<?> e && e.name().equals("ENABLE");
    }

    /**
     * Boot's {@code FilteredHostException} for a refusal by one of Boot's filters (hotpool's exception as its
     * cause), or {@code null} when the filter is not Boot's or the exception cannot be made.
     */
    static RuntimeException filteredHost(FilteredAddressException refusal) {
        if (FILTERED_HOST == null || !(refusal.filter() instanceof BootAddressFilter boot)) {
            return null;
        }
        try {
            RuntimeException e = (RuntimeException) FILTERED_HOST.newInstance(refusal.host(), boot.filter);
            e.initCause(refusal);
            return e;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

    private static Object call(Method method, HttpClientSettings settings) {
        if (method == null || settings == null) {
            return null;
        }
        try {
            return method.invoke(settings);
        }
        catch (ReflectiveOperationException ex) {
            return null;
        }
    }

    private static Method settingsMethod(String name) {
        try {
            return HttpClientSettings.class.getMethod(name);
        }
        catch (NoSuchMethodException ex) {
            return null; // Boot 4.0.
        }
    }

    private static MethodHandle matches() {
        try {
            Class<?> type = Class.forName(PACKAGE + "InetAddressFilter", false,
                    BootClientSettings.class.getClassLoader());
            return MethodHandles.publicLookup()
                .findVirtual(type, "matches", MethodType.methodType(boolean.class, InetAddress.class))
                .asType(MethodType.methodType(boolean.class, Object.class, InetAddress.class));
        }
        catch (ReflectiveOperationException | LinkageError ex) {
            return null; // Boot 4.0.
        }
    }

    private static Constructor<?> filteredHostConstructor() {
        try {
            Class<?> filter = Class.forName(PACKAGE + "InetAddressFilter", false,
                    BootClientSettings.class.getClassLoader());
            Constructor<?> c = Class.forName(PACKAGE + "FilteredHostException", false,
                    BootClientSettings.class.getClassLoader()).getDeclaredConstructor(String.class, filter);
            c.setAccessible(true); // Package-private in Boot; hotpool then throws its own AccessDeniedException.
            return c;
        }
        catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            if (!(ex instanceof ClassNotFoundException)) {
                logger.debug("hotpool: Boot's FilteredHostException cannot be made; refusals raise hotpool's "
                        + "FilteredAddressException instead: " + ex);
            }
            return null;
        }
    }

    /** Boot's {@code InetAddressFilter} as hotpool's {@link AddressFilter}. */
    private static final class BootAddressFilter implements AddressFilter {

        final Object filter;

        BootAddressFilter(Object filter) {
            this.filter = filter;
        }

        @Override
        public boolean allows(InetAddress address) {
            try {
                return (boolean) MATCHES.invokeExact(this.filter, address);
            }
            catch (RuntimeException | Error ex) {
                throw ex;
            }
            catch (Throwable ex) {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public String toString() {
            return String.valueOf(this.filter);
        }
    }
}
