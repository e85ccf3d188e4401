package dev.hotpool.http;

import dev.hotpool.CloseReason;
import dev.hotpool.Origin;
import dev.hotpool.net.OutlierDetector;
import dev.hotpool.pool.Lease;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response body read from a pooled connection, which it gives back by itself: to the pool when the
 * message has ended on a reusable connection, closed otherwise. On {@link #close()} before the end, a
 * small remainder (bounded in bytes and time) is drained so the connection can be reused; a larger one
 * closes the connection. A read error closes the connection and names the origin.
 *
 * <p>Supports {@link #mark}/{@link #reset} (Spring's RestClient peeks at one byte to tell an empty body; without
 * mark support it wraps the body in a {@code PushbackInputStream}, which hides {@link #readNBytes(int)}).
 * {@link #readNBytes(int)} of a {@code Content-Length} body makes one array of the exact size and fills it straight
 * from the connection, where {@code InputStream}'s default gathers 8 KiB chunks and copies them into the result.
 *
 * <p>Not thread-safe (like any {@link InputStream}). Closing twice is harmless; reading after close fails.
 */
final class ResponseBody extends InputStream {

    private static final Logger log = LoggerFactory.getLogger(ResponseBody.class);

    /** Reclaims connections held by bodies that were dropped without being closed. One daemon thread. */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "hotpool-reclaimer");
        t.setDaemon(true);
        return t;
    });

    private enum State {
        /** Bytes of the message may still come. */
        OPEN,
        /** The connection has been given back or closed; reads return end of stream. */
        DONE,
        /** Closed by the caller; reads fail. */
        CLOSED
    }

    private final Lease lease;
    private final Http1Codec codec;
    private final InputStream framed;
    private final boolean reusable;
    private final CloseReason notReusable;
    private final int drainLimit;
    private final long drainTimeoutMillis;
    private final OutlierDetector outliers;
    /** For {@link #read()}; most callers read in blocks, so made on first use. */
    private byte[] one;
    /** Bytes read since {@link #mark} (up to its read limit), replayed after {@link #reset}; null before a mark. */
    private byte[] marked;
    /** How many bytes {@link #marked} holds. */
    private int markedLength;
    /** The next replayed byte in {@link #marked}, or -1 when reads come from the connection. */
    private int replay = -1;
    /** Whether {@link #reset} may return to the mark (no more than its read limit read since). */
    private boolean markValid;
    /**
     * Bytes of a Content-Length body not yet delivered, or -1 for other framings. At zero the message has
     * ended and the connection goes back at once: callers such as RestClient read exactly the announced
     * length and close without reading end of stream, which would otherwise cost a drain.
     */
    private long remaining;
    private State state = State.OPEN;
    /** Whether the end of the message waits for close() to give the connection back ({@link #holdUntilClose}). */
    private boolean holdUntilClose;
    /** The message has ended while held: close() gives the connection back. */
    private boolean endPending;
    /** Shared with the cleaner's action, which must not reach this body. */
    private final Hold hold;
    private Cleaner.Cleanable cleanable;

    ResponseBody(Lease lease, Http1Codec codec, InputStream framed, boolean reusable, CloseReason notReusable,
            int drainLimit, long drainTimeoutMillis, OutlierDetector outliers, long contentLength) {
        this.outliers = outliers;
        this.remaining = contentLength;
        this.lease = lease;
        this.codec = codec;
        this.framed = framed;
        this.reusable = reusable;
        this.notReusable = notReusable;
        this.drainLimit = drainLimit;
        this.drainTimeoutMillis = drainTimeoutMillis;
        this.hold = new Hold(lease);
    }

    /**
     * Makes sure the connection is closed and counted even if this body is never read to the end nor closed
     * and becomes unreachable (a leaked response).
     */
    void reclaimWhenUnreachable() {
        this.cleanable = CLEANER.register(this, this.hold);
    }

    /** The connection is no longer held by this body: forget the cleaner's registration. */
    private void letGo() {
        this.hold.held = false;
        Cleaner.Cleanable c = this.cleanable;
        if (c != null) {
            this.cleanable = null;
            c.clean();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] b = this.one;
        if (b == null) {
            b = new byte[1];
            this.one = b;
        }
        int n = read(b, 0, 1);
        return n < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (this.state == State.CLOSED) {
            throw new IOException("hotpool: the response body from " + origin() + " has been closed");
        }
        if (len == 0) {
            return 0;
        }
        if (this.replay >= 0) {
            int n = Math.min(len, this.markedLength - this.replay);
            System.arraycopy(this.marked, this.replay, b, off, n);
            this.replay = this.replay + n == this.markedLength ? -1 : this.replay + n;
            return n;
        }
        if (this.state == State.DONE) {
            return -1;
        }
        int n;
        try {
            n = this.framed.read(b, off, len);
        }
        catch (IOException | RuntimeException e) {
            this.state = State.DONE;
            letGo();
            this.outliers.recordFailure(origin().authority(), this.lease.remote().getAddress(),
                    OutlierDetector.Failure.IO);
            this.lease.discard(CloseReason.ERROR);
            throw Http1Client.bodyFailure(origin(), e);
        }
        if (n > 0 && this.markValid) {
            record(b, off, n);
        }
        if (n < 0) {
            end();
        }
        else if (this.remaining > 0) {
            this.remaining -= n;
            if (this.remaining == 0) {
                end();
            }
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        if (this.state != State.OPEN) {
            return this.state == State.DONE ? replayable() : 0;
        }
        try {
            return replayable() + this.framed.available();
        }
        catch (IOException e) {
            return replayable();
        }
    }

    /**
     * Reads up to {@code len} bytes. For a {@code Content-Length} body: into one array of at most the bytes left,
     * filled straight from the connection (a RestClient {@code body(byte[].class)} lands here with the announced
     * length). Other framings: {@code InputStream}'s way.
     */
    @Override
    public byte[] readNBytes(int len) throws IOException {
        if (len < 0) {
            throw new IllegalArgumentException("len < 0");
        }
        long left = this.state == State.OPEN ? this.remaining : 0;
        if (this.state == State.CLOSED || left < 0 || left + replayable() == 0) {
            return super.readNBytes(len);
        }
        int size = (int) Math.min(len, left + replayable());
        byte[] b = new byte[size];
        int filled = 0;
        while (filled < size) {
            int n = read(b, filled, size - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled == size ? b : java.util.Arrays.copyOf(b, filled);
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    /** Marks this place; up to {@code readlimit} bytes read after it can be read again after {@link #reset}. */
    @Override
    public void mark(int readlimit) {
        int pending = replayable(); // Bytes replayed after an earlier reset but not yet read again: kept.
        int capacity = Math.max(Math.max(readlimit, 0), pending);
        byte[] buffer = this.marked != null && this.marked.length >= capacity ? this.marked : new byte[capacity];
        if (pending > 0) {
            System.arraycopy(this.marked, this.replay, buffer, 0, pending);
        }
        this.marked = buffer;
        this.markedLength = pending;
        this.replay = pending > 0 ? 0 : -1;
        this.markValid = true;
    }

    /** Goes back to the mark; fails when there is none or more than its read limit was read since. */
    @Override
    public void reset() throws IOException {
        if (!this.markValid) {
            throw new IOException("hotpool: reset of the response body from " + origin() + " without a valid mark");
        }
        this.replay = this.markedLength > 0 ? 0 : -1;
    }

    /** Bytes after a reset not yet read again. */
    private int replayable() {
        return this.replay >= 0 ? this.markedLength - this.replay : 0;
    }

    /** Keeps bytes just read from the connection for {@link #reset}; past the mark's read limit, the mark is gone. */
    private void record(byte[] b, int off, int n) {
        if (this.markedLength + n > this.marked.length) {
            this.markValid = false;
            return;
        }
        System.arraycopy(b, off, this.marked, this.markedLength, n);
        this.markedLength += n;
    }

    /** Gives the connection back, or drains a small remainder first; never throws for I/O. */
    @Override
    public void close() {
        if (this.state == State.OPEN) {
            drain();
        }
        if (this.endPending) {
            finish();
        }
        this.state = State.CLOSED;
    }

    /**
     * Keeps the connection when the message ends until {@link #close()} (or {@link #abandon()}): for a decoded body,
     * whose connection must not go back before its decoder has found the bytes sound.
     */
    void holdUntilClose() {
        this.holdUntilClose = true;
    }

    /** Gives up on the message (its decoded form was corrupt): the connection is closed, not reused. */
    void abandon() {
        if (this.state == State.OPEN || this.endPending) {
            this.state = State.DONE;
            this.endPending = false;
            letGo();
            this.lease.discard(CloseReason.ERROR);
        }
    }

    /** Whether the message has ended and the connection is no longer held. */
    boolean done() {
        return this.state != State.OPEN;
    }

    /** The message ended: the connection goes back, or closes when it may not carry another exchange. */
    void end() {
        this.state = State.DONE;
        if (this.holdUntilClose) {
            this.endPending = true; // Given back on close(), once the decoder has checked the bytes.
            return;
        }
        finish();
    }

    /** Gives the connection of an ended message back, or closes it when it may not carry another exchange. */
    private void finish() {
        this.endPending = false;
        letGo();
        if (this.reusable && !this.codec.in.hasBufferedData()) {
            this.lease.release();
        }
        else {
            this.lease.discard(this.reusable ? CloseReason.ERROR : this.notReusable);
        }
    }

    private void drain() {
        if (!this.reusable) {
            this.state = State.DONE;
            letGo();
            this.lease.discard(this.notReusable);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.drainTimeoutMillis);
        byte[] scratch = new byte[Math.min(8192, Math.max(1, this.drainLimit))];
        long left = this.drainLimit;
        try {
            while (true) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0 || left < 0) {
                    break;
                }
                this.lease.soTimeout((int) Math.min(remaining, this.lease.soTimeout()));
                int n = this.framed.read(scratch, 0, scratch.length);
                if (n < 0) {
                    end();
                    return;
                }
                left -= n;
            }
        }
        catch (IOException | RuntimeException e) {
            // Fall through: the connection cannot be reused.
        }
        this.state = State.DONE;
        letGo();
        this.lease.discard(CloseReason.ERROR);
    }

    private Origin origin() {
        return this.lease.origin();
    }

    /** Whether a body still holds its connection; the cleaner's action when the body became unreachable. */
    private static final class Hold implements Runnable {

        private final Lease lease;
        volatile boolean held = true;

        Hold(Lease lease) {
            this.lease = lease;
        }

        @Override
        public void run() {
            if (this.held) {
                this.held = false;
                this.lease.discard(CloseReason.ERROR);
                log.warn("hotpool: a response from {} was never closed and has been garbage-collected; its "
                        + "connection was closed. Close the response (ClientHttpResponse) or read its body to the end",
                        this.lease.origin());
            }
        }
    }
}
