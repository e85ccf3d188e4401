package dev.hotpool.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import dev.hotpool.internal.spring.BootClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The application does not start when its Spring Boot says 4.1 but hotpool cannot reach
 * {@code HttpClientSettings.inetAddressFilter()}: what a native image built without hotpool's runtime hints looks
 * like. Made real on Boot 4.0 by running the auto-configuration in a class loader whose {@code SpringBootVersion}
 * (compiled here) answers {@code 4.1.2}, over the Boot 4.0 jars that lack the method. On Boot 4.1 the method is
 * there to find, so this runs only on the 4.0 line; {@code Boot41MembersTests} covers both lines with a lookup that
 * fails.
 */
class FailClosedStartupTests {

    @Test
    void onBoot41WithoutTheFilterMethodStartupStopsNamingTheSetting(@TempDir Path fakeBoot) throws Exception {
        assumeThat(SpringBootVersion.getVersion()).as("Boot 4.0 lacks the method this test hides").startsWith("4.0.");
        compileSpringBootVersion(fakeBoot, "4.1.2");
        try (URLClassLoader loader = new URLClassLoader(classPath(fakeBoot), ClassLoader.getPlatformClassLoader())) {
            @SuppressWarnings("unchecked")
            Supplier<String> startup = (Supplier<String>) loader.loadClass(StartupFailure.class.getName())
                .getConstructor()
                .newInstance();

            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader); // Spring's runner makes its context's proxy in this loader.
            String failure;
            try {
                failure = startup.get();
            }
            finally {
                thread.setContextClassLoader(previous);
            }

            assertThat(failure).startsWith("hotpool: Spring Boot 4.1.2 passes the application's "
                    + "InetAddressFilter (its InetAddressFilter bean: Boot's guard against server-side request "
                    + "forgery) as HttpClientSettings.inetAddressFilter() (java.lang.NoSuchMethodException: ")
                .endsWith("hotpool's runtime hints (dev.hotpool.internal.spring.HotPoolRuntimeHints) are in the image.");
        }
    }

    @Test
    void onItsOwnBootLineTheApplicationStarts() {
        assertThat(new StartupFailure().get()).isNull();
    }

    /** Starts hotpool's auto-configuration; the root cause's message when startup fails, else {@code null}. */
    public static final class StartupFailure implements Supplier<String> {

        @Override
        public String get() {
            String[] failure = new String[1];
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HotPoolAutoConfiguration.class, SslAutoConfiguration.class,
                        HttpClientAutoConfiguration.class))
                .withPropertyValues("hotpool.health-check.enabled=false")
                .run((context) -> {
                    Throwable cause = context.getStartupFailure();
                    while (cause != null && cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    failure[0] = (cause != null) ? cause.getMessage() : null;
                    if (cause == null) {
                        BootClientSettings.check();
                    }
                });
            return failure[0];
        }
    }

    private static void compileSpringBootVersion(Path directory, String version) throws IOException {
        Path source = directory.resolve("org/springframework/boot/SpringBootVersion.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package org.springframework.boot;\n"
                + "public final class SpringBootVersion {\n"
                + "    private SpringBootVersion() {\n    }\n"
                + "    public static String getVersion() {\n        return \"" + version + "\";\n    }\n"
                + "}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", directory.toString(), source.toString())).isZero();
    }

    /** The fake version first, then this test's whole class path. */
    private static URL[] classPath(Path first) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(first.toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
