package dev.hotpool.internal.http;

import dev.hotpool.HotPoolException;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.internal.http2.Http2Stream;
import dev.hotpool.internal.pool.Lease;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body read from an HTTP/2 stream, which gives its stream's lease back by itself: when the stream has ended
 * and its bytes are read, or on {@link #close()} (before the end the stream is reset with CANCEL: nothing is drained,
 * the connection goes on), or when it fails. A body dropped without being closed is reclaimed when it becomes
 * unreachable.
 *
 * <p>The lease goes back as soon as the stream has ended and its last byte was read (a response without content, or
 * one whose END_STREAM came with its last DATA, needs no read of the end), as a {@code Content-Length} body on HTTP/1.1.
 *
 * <p>Keeps {@link java.io.InputStream}'s contract as {@link ResponseBody} does: {@link #mark}/{@link #reset} with any
 * read limit, the bytes after the mark kept in a buffer that grows as they are read ({@link MarkBuffer}: Spring's
 * RestClient peeks at one byte with them); {@code read(b, off, len)} checks its bounds, {@code len} 0 returns 0, reads
 * after {@link #close()} fail, closing twice is harmless; the bulk reads ({@code readNBytes}, {@code readAllBytes},
 * {@code transferTo}) are {@link java.io.InputStream}'s, which grow with what arrives.
 *
 * <p>Not thread-safe (like any input stream).
 */
final class Http2Body extends LeasedBody {

    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "hotpool-h2-reclaimer");
        t.setDaemon(true);
        return t;
    });

    /** The first array of {@link #readNBytes(int)} when fewer bytes have arrived. */
    private static final int FIRST_ARRAY = 64 * 1024;

    /** How many times the bytes received so far an array of {@link #readNBytes(int)} may grow to. */
    private static final int GROWTH = 16;

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
    /** What mark/reset keep; made at the first mark. */
    private MarkBuffer marked;

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
        ensureReadable();
        if (len == 0) {
            return 0;
        }
        if (this.marked != null && this.marked.replayable() > 0) {
            return this.marked.replay(b, off, len);
        }
        if (this.state == State.DONE) {
            return -1;
        }
        int n;
        try {
            n = this.stream.read(b, off, len, this.readTimeoutMillis);
        }
        catch (IOException e) {
            this.state = State.FAILED;
            this.failure = e;
            this.endPending = false;
            this.marked = null;
            this.cleanable.clean(); // Cancels the stream and gives its lease back; the connection goes on.
            throw e instanceof MalformedResponseException || e instanceof HotPoolException ? e
                    : Http1Client.bodyFailure(this.origin, e);
        }
        if (n > 0 && this.marked != null) {
            this.marked.record(b, off, n);
        }
        if (n < 0 || this.stream.complete()) {
            end();
        }
        return n;
    }

    /**
     * Reads up to {@code len} bytes into one array that starts at what has arrived (at least 64 KiB) and grows with
     * what arrives (to at most 16 times what came), up to what the {@code content-length} leaves: RestClient's
     * {@code readNBytes(contentLength)} gets its body in one array without the copies of
     * {@link java.io.InputStream#readNBytes(int)}, and a length announced but not sent is never allocated. Without a
     * {@code content-length}, {@link java.io.InputStream}'s own.
     */
    @Override
    public byte[] readNBytes(int len) throws IOException {
        if (len < 0) {
            throw new IllegalArgumentException("len < 0");
        }
        ensureReadable();
        int replayable = this.marked != null ? this.marked.replayable() : 0;
        long left = this.state != State.OPEN ? 0 : this.stream.remainingContentLength();
        if (left < 0 || left + replayable == 0) {
            return super.readNBytes(len);
        }
        int want = (int) Math.min(len, left + replayable);
        byte[] b = new byte[(int) Math.min(want, Math.max(FIRST_ARRAY, (long) available()))];
        int filled = 0;
        while (filled < want) {
            if (filled == b.length) {
                b = Arrays.copyOf(b, (int) Math.min(want, (long) GROWTH * filled));
            }
            int n = read(b, filled, b.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        if (filled == want && want < len) {
            // All the content-length promised; fewer than asked says "the end", so see it: END_STREAM may come apart.
            byte[] end = new byte[1];
            if (read(end, 0, 1) > 0) { // Cannot be: DATA past the content-length fails the stream.
                b = Arrays.copyOf(b, filled + 1);
                b[filled++] = end[0];
            }
        }
        return filled == b.length ? b : Arrays.copyOf(b, filled);
    }

    /** Fails when the body was closed or failed. */
    private void ensureReadable() throws IOException {
        switch (this.state) {
            case CLOSED -> throw new IOException("hotpool: the response body from " + this.origin + " has been closed");
            case FAILED -> throw new HotPoolException("hotpool: the response body from " + this.origin + " cannot be "
                    + "read: reading it failed before (" + this.failure.getMessage() + ")", this.failure);
            default -> {
            }
        }
    }

    @Override
    public int available() throws IOException {
        int replayable = this.marked != null ? this.marked.replayable() : 0;
        return switch (this.state) {
            case OPEN -> (int) Math.min(Integer.MAX_VALUE, (long) replayable + this.stream.available());
            case DONE -> replayable;
            default -> 0;
        };
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    /**
     * Marks this place: up to {@code readlimit} bytes read after it can be read again after {@link #reset}. Bytes are
     * kept as they are read, so a large limit costs nothing until the bytes arrive. A negative limit is taken as 0.
     */
    @Override
    public void mark(int readlimit) {
        if (this.state == State.CLOSED || this.state == State.FAILED) {
            return;
        }
        if (this.marked == null) {
            this.marked = new MarkBuffer();
        }
        this.marked.mark(readlimit);
    }

    /** Goes back to the mark; fails when there is none or more than its read limit was read since. */
    @Override
    public void reset() throws IOException {
        ensureReadable();
        if (this.marked == null || !this.marked.reset()) {
            throw new IOException("hotpool: reset of the response body from " + this.origin + " without a valid mark "
                    + "(none was set, or more than its read limit was read since)");
        }
    }

    /** Ends the body at once when its stream has already ended with nothing to read (no content, or all of it read). */
    void endIfComplete() {
        if (this.state == State.OPEN && this.stream.complete()) {
            end();
        }
    }

    @Override
    public void close() {
        if (this.state == State.CLOSED) {
            return;
        }
        this.state = State.CLOSED;
        this.endPending = false;
        this.marked = null;
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
