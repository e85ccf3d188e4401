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
 * What {@code hotpool.leak-detection-threshold} costs a lease: lease + release on the real engine (as
 * {@link LeaseReleaseBenchmark}, 64 connections, no I/O), with leak detection off ({@code 0}) or on ({@code 60s}: a
 * stack captured and a timer task scheduled and cancelled per lease). {@code depth} is how many frames the caller's
 * stack has below the lease: JMH's own few, or {@code 100} more, about what a Spring MVC controller calling a
 * {@code RestClient} has.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LeakDetectionCostBenchmark {

    @Param({ "0", "60" })
    public int thresholdSeconds;

    @Param({ "0", "100" })
    public int depth;

    private LoopbackHttpServer server;
    private Engine engine;
    private Origin origin;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        this.server = new LoopbackHttpServer(LoopbackHttpServer.Mode.HOLD);
        this.engine = PoolAssembly.assemble(HotPoolConfig.builder().name("jmh-leak-detection").maxConnections(64)
                .maxConnsPerHost(64).maxIdleConns(64).acquireTimeout(Duration.ofSeconds(30))
                .leakDetectionThreshold(Duration.ofSeconds(this.thresholdSeconds)).build()).engine();
        this.origin = Origin.of("http", "127.0.0.1", this.server.port());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        this.engine.close();
        this.server.close();
    }

    @Benchmark
    public Lease leaseRelease() throws IOException {
        return at(this.depth);
    }

    private Lease at(int frames) throws IOException {
        if (frames > 0) {
            return at(frames - 1);
        }
        Lease lease = this.engine.lease(this.origin, null, null, LeaseMode.ANY, Duration.ofSeconds(30), 5_000,
                30_000);
        lease.release();
        return lease;
    }
}
