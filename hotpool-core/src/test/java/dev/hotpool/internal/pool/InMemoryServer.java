package dev.hotpool.internal.pool;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.internal.PoolAssembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * A server without sockets, for tests of the protocol layer that must run thousands of exchanges a second (fuzz
 * targets): an {@link Engine} whose connections are in memory. Each connection answers its k-th request (a request
 * head is counted at its empty line; the tests send no request bodies) with the k-th {@link Answer}, which becomes
 * readable once that request has been written. With nothing left to read, a read ends the stream when the last answer
 * said the server closes, and otherwise times out at once, as a silent server's read timeout would. Reads return at
 * most as many bytes as a slicer says, so bytes arrive in pieces. Counts connections and requests per connection.
 *
 * <p>Single-threaded use only (one request at a time), like the fuzz targets that use it.
 */
public final class InMemoryServer {

    /** What a connection sends for one request, and whether it closes after. */
    public record Answer(byte[] bytes, boolean close) {
    }

    /** The answers of a connection, by the 1-based index of the connection and of the request on it. */
    @FunctionalInterface
    public interface Script {
        Answer answer(int connection, int request);
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Script script;
    private IntUnaryOperator slicer;
    private final List<Conn> opened = new ArrayList<>();

    /**
     * @param slicer given the bytes ready, how many a read returns (at least 1)
     */
    public InMemoryServer(Script script, IntUnaryOperator slicer) {
        this.script = script;
        this.slicer = slicer;
    }

    /**
     * Starts over with another script, so that one engine serves many runs: connections are counted from 1 again.
     * Connections of earlier runs must be closed (evicted from the pool) first.
     */
    public void restart(Script script, IntUnaryOperator slicer) {
        if (open() > 0) {
            throw new IllegalStateException(open() + " connection(s) of the last run are still open");
        }
        this.opened.clear();
        this.script = script;
        this.slicer = slicer;
    }

    /** An engine whose every connection is one of this server's. */
    public Engine engine(HotPoolConfig config) {
        return PoolAssembly.engine(config, this::connect);
    }

    /** Connections opened so far. */
    public int connections() {
        return this.opened.size();
    }

    /** Requests received on a connection (1-based). */
    public int requests(int connection) {
        return this.opened.get(connection - 1).requests;
    }

    /** Connections not closed yet (in use, or idle in the pool). */
    public int open() {
        return (int) this.opened.stream().filter(c -> !c.shut()).count();
    }

    private Transport connect(Route route, AddressLoad load, int connectTimeoutMillis, int readTimeoutMillis) {
        Conn conn = new Conn(this.opened.size() + 1, new InetSocketAddress(LOOPBACK, route.origin().port()));
        load.add(LOOPBACK, 1);
        this.opened.add(conn);
        return conn;
    }

    /** A {@link FakeTransport} with this server's streams: readable answers, requests counted as they are written. */
    private final class Conn extends FakeTransport {

        private final int index;
        private int requests;
        /** The last four bytes written, to find the empty line that ends a request head. */
        private int tail;
        private byte[] ready = new byte[0];
        private int readAt;
        private boolean eofAfterReady;

        private final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (shut()) {
                    throw new SocketException("Socket closed");
                }
                if (len == 0) {
                    return 0;
                }
                int left = Conn.this.ready.length - Conn.this.readAt;
                if (left == 0) {
                    if (Conn.this.eofAfterReady) {
                        return -1;
                    }
                    throw new SocketTimeoutException("Read timed out");
                }
                int n = Math.max(1, Math.min(Math.min(len, left), InMemoryServer.this.slicer.applyAsInt(left)));
                System.arraycopy(Conn.this.ready, Conn.this.readAt, b, off, n);
                Conn.this.readAt += n;
                return n;
            }

            @Override
            public int available() {
                return Conn.this.ready.length - Conn.this.readAt;
            }
        };

        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (shut()) {
                    throw new SocketException("Socket closed");
                }
                Conn.this.tail = (Conn.this.tail << 8) | (b & 0xff);
                if (Conn.this.tail == 0x0d0a0d0a) {
                    requestEnded();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        };

        Conn(int index, InetSocketAddress remote) {
            super(remote);
            this.index = index;
        }

        private void requestEnded() {
            this.requests++;
            this.tail = 0;
            if (this.eofAfterReady) {
                return; // The server has closed: the request is never answered.
            }
            Answer answer = InMemoryServer.this.script.answer(this.index, this.requests);
            if (answer == null) {
                return;
            }
            byte[] left = java.util.Arrays.copyOfRange(this.ready, this.readAt, this.ready.length);
            byte[] joined = java.util.Arrays.copyOf(left, left.length + answer.bytes().length);
            System.arraycopy(answer.bytes(), 0, joined, left.length, answer.bytes().length);
            this.ready = joined;
            this.readAt = 0;
            this.eofAfterReady = answer.close();
        }

        @Override
        public InputStream in() {
            return this.in;
        }

        @Override
        public OutputStream out() {
            return this.out;
        }

        /** Also not alive with an answer unread, or after the last answer said the server closes. */
        @Override
        public boolean isAlive() {
            return super.isAlive() && this.readAt == this.ready.length && !this.eofAfterReady;
        }
    }
}
