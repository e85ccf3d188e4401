package dev.hotpool.benchmarks.jmh;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.Origin;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.metrics.TrafficRecorder;
import dev.hotpool.net.AddressBook;
import dev.hotpool.net.OutlierDetector;
import dev.hotpool.pool.ConnectionPool;
import dev.hotpool.pool.Connector;
import dev.hotpool.pool.PoolEntry;
import dev.hotpool.pool.Route;
import dev.hotpool.tls.TlsConnector;
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
 * Lease + release on hotpool's engine, {@link ConnectionPool}, with its one {@code ReentrantLock} as the subject:
 * every operation is {@code lease(route)} then {@code release(entry)}, no I/O. The pool is the real one, wired the
 * way {@code HotPool} wires it (a real {@link Connector}, the traffic recorder as listener); its connections are
 * plain TCP sockets to an in-JVM loopback acceptor that only holds them, made during the first leases and reused
 * ever after (the connect path cannot be faked: {@code Connector.connect} is package-private).
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
    private ConnectionPool pool;
    private Route route;

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
        PoolListener listener = PoolListener.both(new TrafficRecorder(), config.listener());
        AddressBook addresses = new AddressBook(config.staticAddresses(), config.resolver(),
                config.dnsRefreshInterval(), config.clock());
        OutlierDetector outliers = new OutlierDetector(config.outlier(), config.clock());
        Connector connector = new Connector(config, new TlsConnector(), listener, addresses, outliers);
        this.pool = new ConnectionPool(config, connector, listener);
        this.route = Route.of(Origin.of("http", "127.0.0.1", this.server.port()), null);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        this.pool.close();
        this.server.close();
    }

    @Benchmark
    public PoolEntry leaseRelease() throws IOException {
        PoolEntry entry = this.pool.lease(this.route, Duration.ofSeconds(30), 5_000, 30_000);
        this.pool.release(entry);
        return entry;
    }
}
