package dev.hotpool.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

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
 * The check itself: what the pool's liveness read ({@code PooledSocket.isAlive()}: SO_TIMEOUT 1 ms, one
 * {@code read()}, the timeout caught, SO_TIMEOUT restored) costs on a live, silent plain-TCP connection to the in-JVM
 * loopback server. The read returns at once when the server's FIN (or a byte) is already there; on a live connection it
 * waits out its 1 ms, which is the cost a checked request pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LivenessReadBenchmark {

    private LoopbackHttpServer server;
    private Socket socket;
    private InputStream in;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        this.server = new LoopbackHttpServer(LoopbackHttpServer.Mode.HOLD);
        this.socket = new Socket();
        this.socket.connect(new InetSocketAddress("127.0.0.1", this.server.port()));
        this.socket.setSoTimeout(30_000);
        this.in = this.socket.getInputStream();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        this.socket.close();
        this.server.close();
    }

    @Benchmark
    public boolean livenessReadOfALiveConnection() throws IOException {
        this.socket.setSoTimeout(1);
        try {
            this.in.read();
            return false;
        }
        catch (SocketTimeoutException expected) {
            return true;
        }
        finally {
            this.socket.setSoTimeout(30_000);
        }
    }
}
