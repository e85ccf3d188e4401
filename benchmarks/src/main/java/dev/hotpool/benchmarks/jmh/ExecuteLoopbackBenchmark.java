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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Not lease + release alone: a whole {@code HotPool.execute(GET)} with the body read to its end (which releases
 * the connection), over plain HTTP to an in-JVM loopback server, with a 1 KiB or a 1 MiB body. The figure includes
 * writing and parsing HTTP, the loopback socket round trip and the server thread's work on the same two cores; it
 * shows what the pool's lock costs next to a real exchange without TLS, and lets a change to the HTTP path be judged
 * without nginx and TLS noise. See {@link LeaseReleaseBenchmark} for the lock alone.
 *
 * <p>Two ways to read the body: {@link #executeAndReadBody} in 8 KiB blocks into one reused buffer (what a
 * streaming caller does; allocates nothing per byte), and {@link #executeAndReadLikeRestClient} as Spring's
 * RestClient reads {@code body(byte[].class)}: {@code mark(1)}, {@code read()}, {@code reset()} (its check for an
 * empty body), then {@code readNBytes(Content-Length)} ({@code ByteArrayHttpMessageConverter}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExecuteLoopbackBenchmark {

    @Param({ "1k", "1m" })
    public String body;

    private LoopbackHttpServer server;
    private HotPool pool;
    private URI uri;
    private int length;

    @State(Scope.Thread)
    public static class Buffer {
        final byte[] bytes = new byte[8192];
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        this.length = switch (this.body) {
            case "1k" -> 1024;
            case "1m" -> 1024 * 1024;
            default -> throw new IllegalArgumentException("body: 1k or 1m, not " + this.body);
        };
        this.server = new LoopbackHttpServer(LoopbackHttpServer.Mode.ANSWER, this.length);
        this.pool = new HotPool(HotPoolConfig.builder().name("jmh-execute").maxConnections(64).maxConnsPerHost(64)
                .maxIdleConns(64).build());
        this.uri = URI.create("http://127.0.0.1:" + this.server.port() + "/" + this.body);
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
            return check(n);
        }
    }

    @Benchmark
    public long executeAndReadLikeRestClient() throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(this.uri))) {
            return readLikeRestClient(response, response.body());
        }
    }

    /**
     * As {@link #executeAndReadLikeRestClient} with the body's mark support hidden: RestClient then wraps it in a
     * {@code PushbackInputStream} and {@code readNBytes} is {@code InputStream}'s. How the body was read before
     * {@code ResponseBody} supported mark/reset: the "before" of that change, in the same run.
     */
    @Benchmark
    public long executeAndReadLikeRestClientWithoutMark() throws IOException {
        try (HotResponse response = this.pool.execute(HotRequest.get(this.uri))) {
            return readLikeRestClient(response, new java.io.FilterInputStream(response.body()) {
                @Override
                public boolean markSupported() {
                    return false;
                }
            });
        }
    }

    /** Spring's IntrospectingClientHttpResponse.hasEmptyMessageBody, then ByteArrayHttpMessageConverter.readInternal. */
    private long readLikeRestClient(HotResponse response, InputStream body) throws IOException {
        InputStream in = body;
        if (in.markSupported()) {
            in.mark(1);
            in.read();
            in.reset();
        }
        else {
            java.io.PushbackInputStream p = new java.io.PushbackInputStream(in);
            p.unread(p.read());
            in = p;
        }
        long declared = Long.parseLong(response.header("Content-Length"));
        return check(in.readNBytes((int) declared).length);
    }

    private long check(long n) {
        if (n != this.length) {
            throw new IllegalStateException("body of " + n + " bytes, expected " + this.length);
        }
        return n;
    }
}
