package dev.hotpool.internal.http;

import dev.hotpool.HotPoolException;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.internal.http2.Http2Stream;
import dev.hotpool.internal.pool.Lease;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body read from an HTTP/2 stream, which gives its stream's lease back by itself: when the stream has ended
 * and its bytes are read, or on {@link #close()} (before the end the stream is reset with CANCEL: nothing is drained,
 * the connection goes on), or when it fails. A body dropped without being closed is reclaimed when it becomes
 * unreachable.
 *
 * <p>Keeps {@link java.io.InputStream}'s contract without mark support: {@code read(b, off, len)} checks its bounds,
 * {@code len} 0 returns 0, reads after {@link #close()} fail, closing twice is harmless; the bulk reads
 * ({@code readNBytes}, {@code readAllBytes}, {@code transferTo}) are {@link java.io.InputStream}'s, which grow with
 * what arrives.
 *
 * <p>Not thread-safe (like any input stream).
 */
final class Http2Body extends LeasedBody {

    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "hotpool-h2-reclaimer");
        t.setDaemon(true);
        return t;
    });

    private enum State {
        OPEN, DONE, FAILED, CLOSED
    }

    /** What ends the stream's lease, once, whoever gets there first: the body, or the cleaner. */
    private static final class Ending implements Runnable {

        private final Http2Stream stream;
        private final Lease lease;
        private final AtomicBoolean ended = new AtomicBoolean();

        Ending(Http2Stream stream, Lease lease) {
            this.stream = stream;
            this.lease = lease;
        }

        /** Ends the lease; a stream not complete is cancelled first. */
        @Override
        public void run() {
            if (this.ended.compareAndSet(false, true)) {
                if (!this.stream.complete()) {
                    this.stream.cancel();
                }
                this.lease.release();
            }
        }
    }

    private final Http2Stream stream;
    private final Origin origin;
    private final int readTimeoutMillis;
    private final Ending ending;
    private final Cleaner.Cleanable cleanable;
    private State state = State.OPEN;
    private boolean holdUntilClose;
    private boolean endPending;
    private IOException failure;
    private byte[] one;

    Http2Body(Http2Stream stream, Lease lease, Origin origin, int readTimeoutMillis) {
        this.stream = stream;
        this.origin = origin;
        this.readTimeoutMillis = readTimeoutMillis;
        this.ending = new Ending(stream, lease);
        this.cleanable = CLEANER.register(this, this.ending);
    }

    @Override
    public int read() throws IOException {
        if (this.one == null) {
            this.one = new byte[1];
        }
        int n = read(this.one, 0, 1);
        return n < 0 ? -1 : this.one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        switch (this.state) {
            case CLOSED -> throw new IOException("hotpool: the response body from " + this.origin + " has been closed");
            case FAILED -> throw new HotPoolException("hotpool: the response body from " + this.origin + " cannot be "
                    + "read: reading it failed before (" + this.failure.getMessage() + ")", this.failure);
            case DONE -> {
                return len == 0 ? 0 : -1;
            }
            default -> {
            }
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = this.stream.read(b, off, len, this.readTimeoutMillis);
        }
        catch (IOException e) {
            this.state = State.FAILED;
            this.failure = e;
            this.endPending = false;
            this.cleanable.clean(); // Cancels the stream and gives its lease back; the connection goes on.
            throw e instanceof MalformedResponseException || e instanceof HotPoolException ? e
                    : Http1Client.bodyFailure(this.origin, e);
        }
        if (n < 0) {
            end();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        if (this.state == State.CLOSED) {
            return 0;
        }
        return this.state == State.OPEN ? this.stream.available() : 0;
    }

    @Override
    public void close() {
        if (this.state == State.CLOSED) {
            return;
        }
        this.state = State.CLOSED;
        this.endPending = false;
        this.cleanable.clean();
    }

    @Override
    void holdUntilClose() {
        this.holdUntilClose = true;
    }

    @Override
    void abandon() {
        if (this.state == State.OPEN || this.endPending) {
            this.state = State.FAILED;
            this.failure = new HotPoolException("hotpool: the response body from " + this.origin + " was given up");
            this.endPending = false;
            this.cleanable.clean();
        }
    }

    /** The stream ended and its bytes have been read: the lease goes back, unless held until close. */
    void end() {
        this.state = State.DONE;
        if (this.holdUntilClose) {
            this.endPending = true;
            return;
        }
        this.cleanable.clean();
    }
}
