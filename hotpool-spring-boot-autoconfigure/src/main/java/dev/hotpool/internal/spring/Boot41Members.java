package dev.hotpool.internal.spring;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hotpool.FilteredAddressException;
import dev.hotpool.net.AddressFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.http.client.HttpClientSettings;

/**
 * The members of Spring Boot 4.1 that hotpool reaches by name (so that one jar runs on Boot 4.0 too), found once:
 * {@code HttpClientSettings.inetAddressFilter()} with {@code InetAddressFilter.matches(InetAddress)},
 * {@code HttpClientSettings.cookieHandling()}, and the constructor of {@code FilteredHostException}.
 *
 * <p>Whether this Boot has them is decided by its version ({@code SpringBootVersion}, a constant compiled into Boot,
 * which a native image keeps), never by whether they are found: a native image built without hotpool's runtime
 * hints hides them exactly as Boot 4.0 lacks them, and reading that as "Boot 4.0" would run without the
 * application's {@code InetAddressFilter}. So on Boot 4.1 and later a member that cannot be reached makes
 * {@link #check()} (called at startup) and every read fail with a message naming the setting. Only
 * {@code FilteredHostException} may be missing: a refusal is then raised as hotpool's own
 * {@link FilteredAddressException}, still a refusal.
 *
 * <p>Thread-safe. Boot's filters are adapted once per filter object (kept in a map for the application's life:
 * there is one per bean or per service group, never one per request), so factories with one filter share
 * connections and factories with different filters do not.
 */
public final class Boot41Members {

    private static final Log logger = LogFactory.getLog(Boot41Members.class);

    static final String PACKAGE = "org.springframework.boot.http.client.";

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    private static final String FILTER_SETTING = "the application's InetAddressFilter (its InetAddressFilter bean: "
            + "Boot's guard against server-side request forgery) as HttpClientSettings.inetAddressFilter()";

    private static final String COOKIE_SETTING = "spring.http.clients.cookie-handling as "
            + "HttpClientSettings.cookieHandling()";

    private final String bootVersion;

    /** {@code HttpClientSettings.inetAddressFilter()}; {@code null} on Boot 4.0 (or when unreachable). */
    private final Method inetAddressFilter;

    /** {@code boolean matches(InetAddress)} of Boot's filter, typed {@code (Object, InetAddress) boolean}. */
    private final MethodHandle matches;

    /** {@code HttpClientSettings.cookieHandling()}; {@code null} on Boot 4.0 (or when unreachable). */
    private final Method cookieHandling;

    /** {@code FilteredHostException(String, InetAddressFilter)}, or {@code null}. */
    private final Constructor<?> filteredHost;

    /** Why startup must stop: this Boot has the members and one of them cannot be reached; else {@code null}. */
    private final String unreachable;

    /** Boot filter to its adapter; one per filter object, for the application's life. */
    private final Map<Object, AddressFilter> adapters = new ConcurrentHashMap<>();

    private Boot41Members(String bootVersion, Method inetAddressFilter, MethodHandle matches, Method cookieHandling,
            Constructor<?> filteredHost, String unreachable) {
        this.bootVersion = bootVersion;
        this.inetAddressFilter = inetAddressFilter;
        this.matches = matches;
        this.cookieHandling = cookieHandling;
        this.filteredHost = filteredHost;
        this.unreachable = unreachable;
    }

    /**
     * Finds the members with {@code lookup} on the Boot of version {@code bootVersion} (what
     * {@code SpringBootVersion.getVersion()} returns; {@code null} or unparsable: decided by what is found).
     */
    static Boot41Members resolve(String bootVersion, MemberLookup lookup) {
        List<String> failures = new ArrayList<>();
        Method filter = null;
        MethodHandle matches = null;
        try {
            filter = lookup.method(HttpClientSettings.class, "inetAddressFilter");
            Class<?> filterType = lookup.type(PACKAGE + "InetAddressFilter");
            matches = MethodHandles.publicLookup()
                .unreflect(lookup.method(filterType, "matches", InetAddress.class))
                .asType(MethodType.methodType(boolean.class, Object.class, InetAddress.class));
        }
        catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            filter = null;
            matches = null;
            failures.add(FILTER_SETTING + " (" + ex + ")");
        }
        Method cookies = null;
        try {
            cookies = lookup.method(HttpClientSettings.class, "cookieHandling");
        }
        catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            failures.add(COOKIE_SETTING + " (" + ex + ")");
        }
        Constructor<?> filteredHost = (filter != null) ? filteredHostConstructor(lookup) : null;
        String unreachable = (hasBoot41Members(bootVersion) && !failures.isEmpty())
                ? unreachableMessage(bootVersion, failures) : null;
        return new Boot41Members(bootVersion, filter, matches, cookies, filteredHost, unreachable);
    }

    /** Whether a Boot of this version has the members: 4.1 and later. */
    static boolean hasBoot41Members(String bootVersion) {
        Matcher version = MAJOR_MINOR.matcher((bootVersion != null) ? bootVersion : "");
        if (!version.find()) {
            return false; // Unknown: what is found decides, as before versions were read.
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        return major > 4 || (major == 4 && minor >= 1);
    }

    private static String unreachableMessage(String bootVersion, List<String> failures) {
        boolean one = failures.size() == 1;
        return "hotpool: Spring Boot " + bootVersion + " passes " + String.join(", and ", failures)
                + ", but hotpool cannot reach " + (one ? "it" : "them") + ", so it stops rather than run without "
                + (one ? "it" : "them") + ". In a native image, build with Spring AOT (process-aot) so that "
                + "hotpool's runtime hints (dev.hotpool.internal.spring.HotPoolRuntimeHints) are in the image.";
    }

    private static Constructor<?> filteredHostConstructor(MemberLookup lookup) {
        try {
            Class<?> filter = lookup.type(PACKAGE + "InetAddressFilter");
            Constructor<?> c = lookup.constructor(lookup.type(PACKAGE + "FilteredHostException"), String.class,
                    filter);
            c.setAccessible(true); // Package-private in Boot.
            return c;
        }
        catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            logger.debug("hotpool: Boot's FilteredHostException cannot be made; refusals raise hotpool's "
                    + "FilteredAddressException instead: " + ex);
            return null;
        }
    }

    /**
     * Fails when this Boot has the members and one of them cannot be reached.
     *
     * @throws IllegalStateException naming the settings hotpool cannot read
     */
    void check() {
        if (this.unreachable != null) {
            throw new IllegalStateException(this.unreachable);
        }
    }

    /** The settings' {@code InetAddressFilter} as hotpool's, or {@code null} (none, or Boot 4.0). */
    AddressFilter addressFilter(HttpClientSettings settings) {
        check();
        Object filter = call(this.inetAddressFilter, settings);
        return (filter != null) ? this.adapters.computeIfAbsent(filter, this::adapt) : null;
    }

    /** Whether the settings ask for cookie handling with {@code ENABLE} (never on Boot 4.0). */
    boolean cookiesEnabled(HttpClientSettings settings) {
        check();
        Object handling = call(this.cookieHandling, settings);
        return handling instanceof Enum<?> e && e.name().equals("ENABLE");
    }

    /**
     * Boot's {@code FilteredHostException} for a refusal by one of Boot's filters (hotpool's exception as its
     * cause), or {@code null} when the filter is not Boot's or the exception cannot be made.
     */
    RuntimeException filteredHost(FilteredAddressException refusal) {
        if (this.filteredHost == null || !(refusal.filter() instanceof BootAddressFilter boot)) {
            return null;
        }
        try {
            RuntimeException e = (RuntimeException) this.filteredHost.newInstance(refusal.host(), boot.filter);
            e.initCause(refusal);
            return e;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

    private Object call(Method method, HttpClientSettings settings) {
        if (method == null || settings == null) {
            return null;
        }
        try {
            return method.invoke(settings);
        }
        catch (InvocationTargetException ex) {
            throw new IllegalStateException("hotpool: HttpClientSettings." + method.getName() + "() of Spring Boot "
                    + this.bootVersion + " failed", ex.getCause());
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException("hotpool: cannot call HttpClientSettings." + method.getName()
                    + "() of Spring Boot " + this.bootVersion, ex);
        }
    }

    private AddressFilter adapt(Object filter) {
        return new BootAddressFilter(filter, this.matches);
    }

    @Override
    public String toString() {
        return "Boot41Members[Spring Boot " + this.bootVersion + ": "
                + ((this.unreachable != null) ? "unreachable"
                        : (this.inetAddressFilter != null) ? "inetAddressFilter, cookieHandling" : "none")
                + "]";
    }

    /** Boot's {@code InetAddressFilter} as hotpool's {@link AddressFilter}. */
    private static final class BootAddressFilter implements AddressFilter {

        final Object filter;

        private final MethodHandle matches;

        BootAddressFilter(Object filter, MethodHandle matches) {
            this.filter = filter;
            this.matches = matches;
        }

        @Override
        public boolean allows(InetAddress address) {
            try {
                return (boolean) this.matches.invokeExact(this.filter, address);
            }
            catch (RuntimeException | Error ex) {
                throw ex;
            }
            catch (Throwable ex) {
                throw new IllegalStateException(ex);
            }
        }

        /** How refusals name it: Boot's filters are lambdas, whose own {@code toString()} says nothing. */
        @Override
        public String toString() {
            String own = String.valueOf(this.filter);
            boolean identityOnly = own.equals(this.filter.getClass().getName() + "@"
                    + Integer.toHexString(System.identityHashCode(this.filter)));
            return "Spring Boot's InetAddressFilter" + (identityOnly ? "" : " " + own);
        }
    }
}
