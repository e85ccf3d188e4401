package dev.hotpool.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Not lease + release alone: a whole {@code HotPool.execute(GET)} with the 1 KiB body read to its end (which
 * releases the connection), over plain HTTP to an in-JVM loopback server. The figure includes writing and parsing
 * HTTP, the loopback socket round trip and the server thread's work on the same two cores; it shows what the
 * pool's lock costs next to a real exchange without TLS. See {@link LeaseReleaseBenchmark} for the lock alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExecuteLoopbackBenchmark {

    private LoopbackHttpServer server;
    private HotPool pool;
    private URI uri;

    @State(Scope.Thread)
    public static class Buffer {
        final byte[] bytes = new byte[8192];
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        this.server = new LoopbackHttpServer(LoopbackHttpServer.Mode.ANSWER);
        this.pool = new HotPool(HotPoolConfig.builder().name("jmh-execute").maxConnections(64).maxConnsPerHost(64)
                .maxIdleConns(64).build());
        this.uri = URI.create("http://127.0.0.1:" + this.server.port() + "/1k");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        this.pool.close();
        this.server.close();
    }

    @Benchmark
    public long executeAndReadBody(Buffer buffer) throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(this.uri))) {
            InputStream in = response.body();
            long n = 0;
            int k;
            while ((k = in.read(buffer.bytes)) >= 0) {
                n += k;
            }
            return n;
        }
    }
}
