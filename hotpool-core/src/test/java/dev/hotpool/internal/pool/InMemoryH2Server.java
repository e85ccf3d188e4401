package dev.hotpool.internal.pool;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.internal.PoolAssembly;
import dev.hotpool.internal.http2.Http2Multiplexing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP/2 server without sockets, for fuzz targets of the HTTP/2 client: an {@link Engine} whose h2c connections are
 * in memory and whose sessions are real {@code Http2Connection}s (with their reader threads). The server side follows
 * what the client writes, frame by frame: once the client's SETTINGS has arrived (event 0), and once the field block
 * of each stream it opens has (event k for its k-th stream), the {@link Script} says what bytes become readable, and
 * whether the connection ends after them. With nothing left to read a read blocks, as on a silent socket: until the
 * read timeout when one is set, until the transport is closed otherwise.
 *
 * <p>Thread-safe: the client's request threads and each connection's reader thread use it at once; the script is
 * called on the thread that wrote the frame, one call at a time per connection.
 */
public final class InMemoryH2Server {

    /** What a connection sends on an event, and whether it closes after; {@code null}: nothing. */
    public record Answer(byte[] bytes, boolean close) {
    }

    /** The answers, by the 1-based index of the connection, the event (0: SETTINGS, k: k-th stream) and the stream. */
    @FunctionalInterface
    public interface Script {
        Answer answer(int connection, int event, int streamId);
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private volatile Script script;
    /** Guarded by itself. */
    private final List<Conn> opened = new ArrayList<>();

    public InMemoryH2Server(Script script) {
        this.script = script;
    }

    /** An engine whose every connection is one of this server's, h2c for the hosts the config says. */
    public Engine engine(HotPoolConfig config) {
        return PoolAssembly.engine(config, this::connect, new Http2Multiplexing(config));
    }

    /** Starts over with another script; connections are counted from 1 again. Earlier ones must be closed. */
    public void restart(Script script) {
        synchronized (this.opened) {
            if (open() > 0) {
                throw new IllegalStateException(open() + " connection(s) of the last run are still open");
            }
            this.opened.clear();
        }
        this.script = script;
    }

    /** Connections not closed yet. */
    public int open() {
        synchronized (this.opened) {
            return (int) this.opened.stream().filter(c -> !c.shut()).count();
        }
    }

    /** Connections opened since the last restart. */
    public int connections() {
        synchronized (this.opened) {
            return this.opened.size();
        }
    }

    private Transport connect(Route route, AddressLoad load, int connectTimeoutMillis, int readTimeoutMillis) {
        Conn conn;
        synchronized (this.opened) {
            conn = new Conn(this.opened.size() + 1, new InetSocketAddress(LOOPBACK, route.origin().port()));
            this.opened.add(conn);
        }
        load.add(LOOPBACK, 1);
        return conn;
    }

    /** One connection: bytes the server made readable, and a reading of the client's frames. */
    private final class Conn extends FakeTransport {

        private final int index;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = this.lock.newCondition();
        /** Guarded by lock. */
        private byte[] ready = new byte[0];
        /** Guarded by lock. */
        private int readAt;
        /** Guarded by lock: the server has closed after what is ready. */
        private boolean eof;
        private volatile boolean ended;

        /** Guarded by writeLock: the client's bytes, read as the preface, then frames. */
        private final Object writeLock = new Object();
        private int prefaceLeft = 24;
        private final byte[] head = new byte[9];
        private int headAt;
        private int payloadLeft = -1;
        private int type;
        private int flags;
        private int streamId;
        private int streams;
        private boolean settingsSeen;

        private final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int timeout = soTimeout();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
                Conn.this.lock.lock();
                try {
                    while (true) {
                        if (shut()) {
                            throw new SocketException("Socket closed");
                        }
                        int left = Conn.this.ready.length - Conn.this.readAt;
                        if (left > 0) {
                            int n = Math.min(len, left);
                            System.arraycopy(Conn.this.ready, Conn.this.readAt, b, off, n);
                            Conn.this.readAt += n;
                            return n;
                        }
                        if (Conn.this.eof) {
                            return -1;
                        }
                        try {
                            if (timeout > 0) {
                                long remaining = deadline - System.nanoTime();
                                if (remaining <= 0) {
                                    throw new SocketTimeoutException("Read timed out");
                                }
                                Conn.this.arrived.awaitNanos(remaining);
                            }
                            else {
                                Conn.this.arrived.await(100, TimeUnit.MILLISECONDS); // Also sees an abort.
                            }
                        }
                        catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException();
                        }
                    }
                }
                finally {
                    Conn.this.lock.unlock();
                }
            }

            @Override
            public int available() {
                Conn.this.lock.lock();
                try {
                    return Conn.this.ready.length - Conn.this.readAt;
                }
                finally {
                    Conn.this.lock.unlock();
                }
            }
        };

        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (shut()) {
                    throw new SocketException("Socket closed");
                }
                synchronized (Conn.this.writeLock) {
                    for (int i = 0; i < len; i++) {
                        written(b[off + i]);
                    }
                }
            }
        };

        Conn(int index, InetSocketAddress remote) {
            super(remote);
            this.index = index;
        }

        /** One byte from the client. Under writeLock. */
        private void written(byte b) {
            if (this.prefaceLeft > 0) {
                this.prefaceLeft--;
                return;
            }
            if (this.payloadLeft < 0) {
                this.head[this.headAt++] = b;
                if (this.headAt < 9) {
                    return;
                }
                this.headAt = 0;
                this.payloadLeft = ((this.head[0] & 0xff) << 16) | ((this.head[1] & 0xff) << 8) | (this.head[2] & 0xff);
                this.type = this.head[3] & 0xff;
                this.flags = this.head[4] & 0xff;
                this.streamId = ((this.head[5] & 0x7f) << 24) | ((this.head[6] & 0xff) << 16)
                        | ((this.head[7] & 0xff) << 8) | (this.head[8] & 0xff);
            }
            else {
                this.payloadLeft--;
            }
            if (this.payloadLeft == 0) {
                this.payloadLeft = -1;
                frameWritten();
            }
        }

        private void frameWritten() {
            if (this.type == 0x4 && (this.flags & 0x1) == 0 && !this.settingsSeen) {
                this.settingsSeen = true;
                event(0, 0);
            }
            else if ((this.type == 0x1 || this.type == 0x9) && (this.flags & 0x4) != 0) {
                event(++this.streams, this.streamId);
            }
        }

        private void event(int event, int stream) {
            if (this.ended) {
                return;
            }
            Answer answer = InMemoryH2Server.this.script.answer(this.index, event, stream);
            if (answer == null) {
                return;
            }
            this.lock.lock();
            try {
                byte[] left = Arrays.copyOfRange(this.ready, this.readAt, this.ready.length);
                byte[] joined = Arrays.copyOf(left, left.length + answer.bytes().length);
                System.arraycopy(answer.bytes(), 0, joined, left.length, answer.bytes().length);
                this.ready = joined;
                this.readAt = 0;
                this.eof = answer.close();
                this.ended = answer.close();
                this.arrived.signalAll();
            }
            finally {
                this.lock.unlock();
            }
        }

        @Override
        public InputStream in() {
            return this.in;
        }

        @Override
        public OutputStream out() {
            return this.out;
        }

        @Override
        public boolean isAlive() {
            this.lock.lock();
            try {
                return super.isAlive() && this.readAt == this.ready.length && !this.ended;
            }
            finally {
                this.lock.unlock();
            }
        }
    }
}
