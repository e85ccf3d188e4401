package dev.hotpool.autoconfigure;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.metrics.micrometer.HotPoolMetrics;
import dev.hotpool.net.AccessPolicy;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every default is written once, in the core ({@link HotPoolConfig.Builder}, {@code OutlierSettings.DEFAULTS}), and
 * {@link HotPoolProperties} starts from it. Two copies remain, and these tests keep them equal to it: the defaults of
 * {@code additional-spring-configuration-metadata.json}, which the configuration processor merges into the metadata
 * because it cannot read a default from another class, and the few literals of {@code hotpool.tls.*} and
 * {@code hotpool.metrics.*}, which mirror core types the properties must not load.
 */
class HotPoolPropertiesDefaultsTests {

    /** HotPoolConfig accessors whose values have no useful equality; compared below by what they hold. */
    private static final Set<String> COMPARED_BY_CONTENT = Set.of("tlsProfiles", "accessPolicy", "localAddresses");

    private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

    @Test
    void everyDefaultInTheMetadataIsTheValueOfAnUnsetProperty() throws IOException {
        BeanWrapper unset = PropertyAccessorFactory.forBeanPropertyAccess(new HotPoolProperties());
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (JsonNode property : metadata().path("properties")) {
            String name = property.path("name").asString();
            if (!name.startsWith("hotpool.") || property.path("type").asString().startsWith("java.util.")) {
                continue; // Lists and maps: empty when unset, and the metadata shows no default for them.
            }
            String path = beanPath(name);
            Object value = unset.getPropertyValue(path);
            JsonNode defaultValue = property.path("defaultValue");
            if (defaultValue.isMissingNode()) {
                if (value != null) {
                    problems.add(name + ": is " + value + " when unset, but the metadata shows no default");
                }
                continue;
            }
            Object converted = this.conversion.convert(defaultValue.asString(), unset.getPropertyType(path));
            if (!Objects.equals(converted, value)) {
                problems.add(name + ": the metadata's default " + defaultValue + " is " + converted + ", but it is "
                        + value + " when unset");
            }
            compared++;
        }
        assertThat(problems).as("defaults of the generated metadata (additional-spring-configuration-metadata.json "
                + "states those the processor cannot read)").isEmpty();
        assertThat(compared).as("properties with a default in the metadata").isGreaterThan(40);
    }

    @Test
    void unsetPropertiesMapToThePoolOfTheCoresDefaults() throws Exception {
        HotPoolConfig mapped = HotPoolConfigMapper.map(new HotPoolProperties(), TlsSettings.defaults());
        HotPoolConfig core = HotPoolConfig.DEFAULTS;
        List<String> problems = new ArrayList<>();
        List<Method> accessors = Arrays.stream(HotPoolConfig.class.getDeclaredMethods())
            .filter((m) -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
            .filter((m) -> m.getParameterCount() == 0 && m.getReturnType() != void.class)
            .filter((m) -> !Set.of("toBuilder", "toString", "hashCode").contains(m.getName()))
            .filter((m) -> !COMPARED_BY_CONTENT.contains(m.getName()))
            .sorted(Comparator.comparing(Method::getName))
            .toList();
        for (Method accessor : accessors) {
            Object expected = accessor.invoke(core);
            Object actual = accessor.invoke(mapped);
            if (!Objects.equals(expected, actual)) {
                problems.add(accessor.getName() + "(): " + actual + " from the properties, " + expected
                        + " in HotPoolConfig.DEFAULTS");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(accessors).as("settings compared").hasSizeGreaterThan(40);
        assertThat(mapped.accessPolicy()).hasToString(AccessPolicy.ALLOW_ALL.toString());
        assertThat(mapped.localAddresses().addresses()).isEqualTo(core.localAddresses().addresses());
        assertSameTlsProfiles(mapped.tlsProfiles(), core.tlsProfiles());
    }

    @Test
    void theTlsProfileLiteralsAreTheCoresDefaults() {
        TlsProfiles profiles = TlsProfilesMapper.map(new HotPoolProperties().getTls());
        assertSameTlsProfiles(profiles, TlsProfiles.builder().build());
        HotPoolProperties.Tls.Profile unset = new HotPoolProperties.Tls.Profile();
        TlsProfile core = TlsProfile.builder("custom").build();
        assertThat(unset.getProtocols()).as("hotpool.tls.profiles.<name>.protocols").isEqualTo(core.protocols());
        assertThat(unset.getAlpn()).as("hotpool.tls.profiles.<name>.alpn").isEqualTo(core.alpn());
        assertThat(unset.getCipherSuites()).isNull();
        assertThat(unset.getNamedGroups()).isNull();
        assertThat(unset.getKeyShares()).isNull();
        assertThat(unset.getSignatureSchemes()).isNull();
    }

    @Test
    void theMetricsLiteralsAreTheCoresDefaults() {
        HotPoolProperties.Metrics metrics = new HotPoolProperties().getMetrics();
        HotPoolMetrics.Options core = HotPoolMetrics.Options.DEFAULTS;
        assertThat(metrics.isPerHostTags()).as("hotpool.metrics.per-host-tags").isEqualTo(core.perHostTags());
        assertThat(metrics.getMaxHosts()).as("hotpool.metrics.max-hosts").isEqualTo(core.maxHosts());
        assertThat(metrics.getNaming().name()).as("hotpool.metrics.naming").isEqualTo(core.naming().name());
    }

    private static void assertSameTlsProfiles(TlsProfiles actual, TlsProfiles expected) {
        Function<TlsProfiles, List<Object>> content = (p) -> List.of(p.provider(), p.rotation(), p.profile().name(),
                p.inUse().stream().map(TlsProfile::name).toList(), List.copyOf(p.profiles().keySet()));
        assertThat(content.apply(actual)).as("provider, rotation, profile, profiles in use, every profile")
            .isEqualTo(content.apply(expected));
    }

    /** {@code hotpool.tcp.keep-alive-idle} is the bean path {@code tcp.keepAliveIdle}. */
    private static String beanPath(String name) {
        StringBuilder path = new StringBuilder();
        boolean upper = false;
        for (char c : name.substring("hotpool.".length()).toCharArray()) {
            if (c == '-') {
                upper = true;
                continue;
            }
            path.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        return path.toString();
    }

    /** The metadata generated into this module's classes (not another jar's on the class path). */
    private static JsonNode metadata() throws IOException {
        try {
            Path classes = Path.of(HotPoolProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return JsonMapper.builder().build()
                .readTree(Files.readString(classes.resolve("META-INF/spring-configuration-metadata.json")));
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
