package dev.hotpool.internal.pool;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxySettings;
import dev.hotpool.internal.PoolAssembly;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestProxy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leasing an idle connection of a proxied route costs what leasing one of a direct route does: the proxy is chosen
 * and the live route found without making a {@link Route} (or anything else) per lease. Measured with the JVM's
 * per-thread allocation counter over many lease/release pairs on one kept-alive connection.
 */
class ProxyRouteLookupTests {

    private static final int WARMUP = 50_000;

    private static final int MEASURED = 100_000;

    @Test
    void leasingAProxiedRouteAllocatesNoMoreThanLeasingADirectOne() throws IOException {
        try (StubServer server = StubServer.http(); TestProxy proxy = TestProxy.start()) {
            Origin origin = Origin.of("http", "127.0.0.1", server.port());
            double direct = bytesPerLease(HotPoolConfig.builder().proxy(ProxySettings.SYSTEM).build(), origin);
            double proxied = bytesPerLease(HotPoolConfig.builder().proxy(ProxySettings.of(
                    HttpProxy.of("127.0.0.1", proxy.port(), "svc", "pw"), List.of("*.internal"))).build(), origin);

            System.out.printf("lease+release bytes/op: direct (JVM settings, none set) %.1f, proxied %.1f%n", direct,
                    proxied);
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
            assertThat(proxied).isLessThanOrEqualTo(direct + 8);
        }
    }

    private static double bytesPerLease(HotPoolConfig config, Origin origin) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (Engine engine = PoolAssembly.assemble(config).engine()) {
            for (int i = 0; i < WARMUP; i++) {
                engine.lease(origin, null, null, LeaseMode.ANY, Duration.ofSeconds(5), 5_000, 5_000).release();
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < MEASURED; i++) {
                engine.lease(origin, null, null, LeaseMode.ANY, Duration.ofSeconds(5), 5_000, 5_000).release();
            }
            return (threads.getThreadAllocatedBytes(thread) - before) / (double) MEASURED;
        }
    }
}
