package dev.hotpool.testsupport;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes a test's pools and servers after each test, in the order given, reading each field when the test
 * is over (so a field reassigned during the test is closed as it is then; {@code null} is skipped). Register
 * it as a field: {@code @RegisterExtension final Closer closer = Closer.of(() -> this.pool, () -> this.server);}
 */
public final class Closer implements AfterEachCallback {

    private final List<Supplier<? extends AutoCloseable>> resources;

    private Closer(List<Supplier<? extends AutoCloseable>> resources) {
        this.resources = resources;
    }

    @SafeVarargs
    public static Closer of(Supplier<? extends AutoCloseable>... resources) {
        return new Closer(List.of(resources));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (Supplier<? extends AutoCloseable> resource : this.resources) {
            AutoCloseable c = resource.get();
            if (c == null) {
                continue;
            }
            try {
                c.close();
            }
            catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
