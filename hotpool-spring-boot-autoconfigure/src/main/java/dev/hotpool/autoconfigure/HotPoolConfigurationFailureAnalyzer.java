package dev.hotpool.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed on an invalid {@code hotpool.*} value. The pool's settings reject impossible
 * values with an {@link IllegalArgumentException} whose message starts with the property's name
 * ({@code hotpool.max-conns-per-host (50) must not exceed hotpool.max-connections (20)}); this turns it into
 * a description and an action naming the properties to change.
 *
 * <p>Registered in {@code META-INF/spring.factories}. Stateless and thread-safe.
 */
class HotPoolConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<IllegalArgumentException> {

    /** A property's name; one of {@code hotpool.hosts} keeps its pattern: {@code hotpool.hosts[*.example.com].min-idle}. */
    private static final Pattern PROPERTY = Pattern.compile(
            "hotpool\\.(?:hosts\\[[^\\]\\s]+\\](?:\\.[a-z0-9]+(?:[.-][a-z0-9]+)*)?|[a-z0-9]+(?:[.-][a-z0-9]+)*)");

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IllegalArgumentException cause) {
        String message = cause.getMessage();
        if (message == null || !message.startsWith("hotpool.")) {
            return null;
        }
        Set<String> properties = new LinkedHashSet<>();
        Matcher matcher = PROPERTY.matcher(message);
        while (matcher.find()) {
            properties.add(matcher.group());
        }
        String description = "Invalid hotpool configuration: " + message;
        String action = "Update " + String.join(" and/or ", properties) + " in your application's configuration"
                + " (see hotpool's configuration reference, docs/configuration.md), or remove "
                + ((properties.size() == 1) ? "it" : "them") + " to use the default"
                + ((properties.size() == 1) ? "." : "s.");
        return new FailureAnalysis(description, action, cause);
    }
}
