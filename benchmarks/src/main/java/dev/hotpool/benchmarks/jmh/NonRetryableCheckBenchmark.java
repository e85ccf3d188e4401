package dev.hotpool.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the check before a request that cannot be retried costs ({@code hotpool.validate-non-retryable-after-inactivity},
 * a 1 ms liveness read of a connection idle longer than it): a whole {@code HotPool.execute(POST)} with a 1 KiB body
 * and a 1 KiB answer, over plain HTTP to the in-JVM loopback server, {@code check=on} (the default, 50 ms) against
 * {@code check=off} (set to {@code validate-after-inactivity}, 2 s: the rule before the check existed).
 *
 * <ul>
 * <li>{@link #postBackToBack}: throughput, one request after the other: the connection never idles 50 ms, so no
 * request is checked; the cost of deciding.</li>
 * <li>{@link #postAfter60msIdle} and {@link #getAfter60msIdle}: the time of one request made after the connection
 * idled 60 ms (the pause is in a per-invocation setup, not timed): every POST is checked with {@code check=on}, no
 * GET ever (it may be retried, so it keeps the 2 s rule).</li>
 * </ul>
 */
@State(Scope.Benchmark)
public class NonRetryableCheckBenchmark {

    private static final byte[] BODY = new byte[1024];

    static {
        Arrays.fill(BODY, (byte) 'p');
    }

    @Param({ "off", "on" })
    public String check;

    private LoopbackHttpServer server;
    private HotPool pool;
    private URI uri;

    @State(Scope.Thread)
    public static class Buffer {
        final byte[] bytes = new byte[8192];
    }

    /** Lets the connection idle 60 ms before each timed request. */
    @State(Scope.Thread)
    public static class Pause {
        @Setup(Level.Invocation)
        public void idle() throws InterruptedException {
            Thread.sleep(60);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        this.server = new LoopbackHttpServer(LoopbackHttpServer.Mode.ANSWER);
        HotPoolConfig.Builder config = HotPoolConfig.builder().name("jmh-non-retryable").maxConnections(64)
                .maxConnsPerHost(64).maxIdleConns(64);
        if (this.check.equals("off")) {
            config.validateNonRetryableAfterInactivity(Duration.ofSeconds(2));
        }
        this.pool = new HotPool(config.build());
        this.uri = URI.create("http://127.0.0.1:" + this.server.port() + "/orders");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        this.pool.close();
        this.server.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long postBackToBack(Buffer buffer) throws IOException {
        return post(buffer);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long postAfter60msIdle(Buffer buffer, Pause pause) throws IOException {
        return post(buffer);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long getAfter60msIdle(Buffer buffer, Pause pause) throws IOException {
        return read(this.pool.execute(HotRequest.get(this.uri)), buffer);
    }

    private long post(Buffer buffer) throws IOException {
        return read(this.pool.execute(HotRequest.builder("POST", this.uri).body(BODY).build()), buffer);
    }

    private static long read(HotResponse response, Buffer buffer) throws IOException {
        try (response) {
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
