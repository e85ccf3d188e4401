package dev.hotpool.benchmarks.jmh;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.internal.PoolAssembly;
import dev.hotpool.internal.pool.Engine;
import dev.hotpool.internal.pool.Lease;
import dev.hotpool.internal.pool.LeaseMode;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Lease + release on hotpool's engine, with its one {@code ReentrantLock} as the subject: every operation is
 * {@code lease(origin)} then {@code lease.release()}, no I/O. The engine is the real one, as {@code HotPool} builds it
 * (the socket connector, the traffic recorder as listener); its connections are plain TCP sockets to an in-JVM
 * loopback acceptor that only holds them, made during the first leases and reused ever after.
 *
 * <ul>
 * <li>{@code connsPerHost=64}: enough for every thread, each lease finds an idle connection: the lock's
 * uncontended (1 thread) and contended (2, 8 threads) cost.</li>
 * <li>{@code connsPerHost=2}: fewer connections than threads at 8 threads: leases wait in the FIFO line and
 * releases hand connections straight over (condition signal + wake-up).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LeaseReleaseBenchmark {

    @Param({ "64", "2" })
    public int connsPerHost;

    private LoopbackHttpServer server;
    private Engine engine;
    private Origin origin;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        this.server = new LoopbackHttpServer(LoopbackHttpServer.Mode.HOLD);
        HotPoolConfig config = HotPoolConfig.builder()
                .name("jmh-lease-release")
                .maxConnections(64)
                .maxConnsPerHost(this.connsPerHost)
                .maxIdleConns(64)
                .acquireTimeout(Duration.ofSeconds(30))
                .build();
        this.engine = PoolAssembly.assemble(config).engine();
        this.origin = Origin.of("http", "127.0.0.1", this.server.port());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        this.engine.close();
        this.server.close();
    }

    @Benchmark
    public Lease leaseRelease() throws IOException {
        Lease lease = this.engine.lease(this.origin, null, null, LeaseMode.ANY, Duration.ofSeconds(30), 5_000,
                30_000);
        lease.release();
        return lease;
    }
}
