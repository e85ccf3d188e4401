package dev.hotpool.autoconfigure;

import java.util.List;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Checks the names under {@code hotpool.hosts}, which Spring would otherwise ignore when they bind to nothing: a
 * dotted pattern without brackets ({@code hotpool.hosts.api.example.com.max-connections} binds no host), or a
 * misspelt setting ({@code hotpool.hosts[api.example.com].max-conections}). Environment variables are left alone:
 * their names cannot carry a dotted pattern anyway. Stateless and thread-safe.
 */
final class HostPropertyNames {

    /** The settings of one pattern, as they follow its key. */
    static final List<String> SETTINGS = List.of("max-connections", "idle-timeout", "max-lifetime", "min-idle",
            "tls.profile", "health-check.probe-path", "read-timeout", "connect-timeout", "protocols");

    private static final ConfigurationPropertyName HOSTS = ConfigurationPropertyName.of("hotpool.hosts");

    private HostPropertyNames() {
    }

    /**
     * @throws IllegalArgumentException naming the property and what to write instead, e.g.
     *     {@code hotpool.hosts.api.example.com.max-connections is not a per-host setting: a host pattern with dots
     *     needs the bracket notation: hotpool.hosts[api.example.com].max-connections}
     */
    static void check(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource names)
                    || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            names.filter(HOSTS::isAncestorOf).stream().forEach(HostPropertyNames::check);
        }
    }

    private static void check(ConfigurationPropertyName name) {
        if (name.getNumberOfElements() < 4) {
            return; // hotpool.hosts.<pattern> alone: nothing to bind, nothing to check.
        }
        // A list's elements, as YAML or indexed properties give them: hotpool.hosts[a.example.com].protocols[0].
        String setting = name.subName(3).toString().replaceFirst("\\[\\d+]$", "");
        if (SETTINGS.contains(setting)) {
            return;
        }
        String full = name.toString().replaceFirst("\\[\\d+]$", "");
        for (String known : SETTINGS) {
            if (full.endsWith("." + known)) {
                String pattern = full.substring(HOSTS.toString().length() + 1, full.length() - known.length() - 1);
                throw new IllegalArgumentException(full + " is not a per-host setting: a host pattern with dots needs "
                        + "the bracket notation: hotpool.hosts[" + pattern + "]." + known);
            }
        }
        throw new IllegalArgumentException(full + " is not a per-host setting; the settings of a host pattern are "
                + String.join(", ", SETTINGS) + " (patterns with dots in brackets: hotpool.hosts[api.example.com]."
                + "max-connections)");
    }
}
