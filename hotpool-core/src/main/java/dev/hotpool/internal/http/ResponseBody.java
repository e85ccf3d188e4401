package dev.hotpool.internal.http;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.internal.pool.Lease;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response body read from a pooled connection, which it gives back by itself: to the pool when the
 * message has ended on a reusable connection, closed otherwise. On {@link #close()} before the end, a
 * small remainder (bounded in bytes and time) is drained so the connection can be reused; a larger one
 * closes the connection. A read error closes the connection and names the origin; later reads fail too.
 *
 * <p>Keeps {@link InputStream}'s whole contract, and its memory follows the bytes actually read, never a number the
 * caller or the server wrote:
 * <ul>
 * <li>{@link #mark}/{@link #reset} with any read limit ({@code Integer.MAX_VALUE} included): the bytes read after
 * the mark are kept in a buffer that grows as they are read, up to the limit; reading more than the limit since the
 * mark gives the mark up, and {@link #reset} then fails. Spring's RestClient peeks at one byte to tell an empty body;
 * without mark support it would wrap the body in a {@code PushbackInputStream}, which hides
 * {@link #readNBytes(int)}.</li>
 * <li>{@link #readNBytes(int)} of a {@code Content-Length} body fills one array straight from the connection; the
 * array starts at the bytes already received and grows as more arrive (to at most 16 times what came), up to the bytes
 * the body has left, so a length the server announced but did not send is never allocated.</li>
 * <li>{@code read(b, off, len)} checks its bounds; {@code len} 0 returns 0; reads after {@link #close()} fail with
 * an {@link IOException}, {@link #available()} then says 0; closing twice is harmless.</li>
 * </ul>
 *
 * <p>Not thread-safe (like any {@link InputStream}).
 */
final class ResponseBody extends LeasedBody {

    private static final Logger log = LoggerFactory.getLogger(ResponseBody.class);

    /** The first array of {@link #readNBytes(int)} when fewer bytes have been received. */
    private static final int FIRST_ARRAY = 64 * 1024;

    /**
     * How many times the bytes received so far an array of {@link #readNBytes(int)} may grow to: a 1 MiB body costs one
     * 64 KiB array before its own (6% more than its size), and a length announced but not sent at most 16 times what
     * came.
     */
    private static final int GROWTH = 16;

    /** Reclaims connections held by bodies that were dropped without being closed. One daemon thread. */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "hotpool-reclaimer");
        t.setDaemon(true);
        return t;
    });

    private enum State {
        /** Bytes of the message may still come. */
        OPEN,
        /** The connection has been given back or closed; reads return end of stream (after any replay). */
        DONE,
        /** Reading the message failed; the connection is closed and reads fail. */
        FAILED,
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
    /**
     * The bytes from the mark to the furthest point read since (its first {@link #markedLength}), replayed after
     * {@link #reset}; {@code null} before a mark, and once the mark is given up and nothing is left to replay.
     */
    private byte[] marked;
    /** How many bytes {@link #marked} holds. */
    private int markedLength;
    /** The next replayed byte in {@link #marked}, or -1 when reads come from the connection. */
    private int replay = -1;
    /** The read limit of the mark. */
    private int markLimit;
    /** Whether {@link #reset} may return to the mark (no more than its read limit read since). */
    private boolean markValid;
    /**
     * The {@code Content-Length} body being read, or {@code null} for other framings. When it has no bytes left the
     * message has ended and the connection goes back at once: callers such as RestClient read exactly the announced
     * length and close without reading end of stream, which would otherwise cost a drain.
     */
    private final LengthBody length;
    private State state = State.OPEN;
    /** Why the body failed ({@link State#FAILED}): what later reads report. */
    private IOException failure;
    /** Whether the end of the message waits for close() to give the connection back ({@link #holdUntilClose}). */
    private boolean holdUntilClose;
    /** The message has ended while held: close() gives the connection back. */
    private boolean endPending;
    /** Shared with the cleaner's action, which must not reach this body. */
    private final Hold hold;
    private Cleaner.Cleanable cleanable;

    ResponseBody(Lease lease, Http1Codec codec, InputStream framed, boolean reusable, CloseReason notReusable,
            int drainLimit, long drainTimeoutMillis, OutlierDetector outliers) {
        this.outliers = outliers;
        this.length = framed instanceof LengthBody body ? body : null;
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
        Objects.checkFromIndexSize(off, len, b.length);
        ensureReadable();
        if (len == 0) {
            return 0;
        }
        if (this.replay >= 0) {
            return replay(b, off, len);
        }
        if (this.state == State.DONE) {
            return -1;
        }
        int n;
        try {
            n = this.framed.read(b, off, len);
        }
        catch (IOException | RuntimeException e) {
            throw fail(e);
        }
        if (n > 0 && this.marked != null) {
            record(b, off, n);
        }
        if (n < 0 || this.length != null && this.length.remaining() == 0) {
            end();
        }
        return n;
    }

    /** Fails when the body was closed or failed. */
    private void ensureReadable() throws IOException {
        if (this.state == State.CLOSED) {
            throw new IOException("hotpool: the response body from " + origin() + " has been closed");
        }
        if (this.state == State.FAILED) {
            throw new HotPoolException("hotpool: the response body from " + origin() + " cannot be read: reading it "
                    + "failed before (" + this.failure.getMessage() + ")", this.failure);
        }
    }

    /** Reading the message failed: the connection is closed, counted against its address, and reads fail from now. */
    private IOException fail(Exception e) {
        this.state = State.FAILED;
        this.marked = null;
        this.replay = -1;
        this.markValid = false;
        letGo();
        this.outliers.recordFailure(origin().authority(), this.lease.remote().getAddress(),
                OutlierDetector.Failure.IO);
        this.lease.discard(CloseReason.ERROR);
        this.failure = Http1Client.bodyFailure(origin(), e);
        return this.failure;
    }

    /** Reads bytes kept since the mark again, after a {@link #reset}. */
    private int replay(byte[] b, int off, int len) {
        int n = Math.min(len, this.markedLength - this.replay);
        System.arraycopy(this.marked, this.replay, b, off, n);
        this.replay += n;
        if (this.markValid && this.replay > this.markLimit) {
            this.markValid = false; // Read further than the mark's limit.
        }
        if (this.replay == this.markedLength) {
            this.replay = -1;
            if (!this.markValid) {
                this.marked = null; // Nothing left to replay, and the mark is gone.
                this.markedLength = 0;
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
            return (int) Math.min(Integer.MAX_VALUE, (long) replayable() + this.framed.available());
        }
        catch (IOException e) {
            return replayable();
        }
    }

    /**
     * Reads up to {@code len} bytes. For a {@code Content-Length} body: into one array filled straight from the
     * connection (a RestClient {@code body(byte[].class)} lands here with the announced length), as large as the bytes
     * already received (at least {@value #FIRST_ARRAY}), and grown when full to at most {@value #GROWTH} times the bytes
     * received, never beyond the bytes the body has left: a length the server announced is believed only as far as its
     * bytes arrive. Other framings: {@code InputStream}'s way, 8 KiB at a time.
     */
    @Override
    public byte[] readNBytes(int len) throws IOException {
        if (len < 0) {
            throw new IllegalArgumentException("len < 0");
        }
        ensureReadable();
        long left = this.state != State.OPEN ? 0 : this.length != null ? this.length.remaining() : -1;
        if (left < 0 || left + replayable() == 0) {
            return super.readNBytes(len);
        }
        int want = (int) Math.min(len, left + replayable());
        long received = (long) replayable() + this.codec.in.buffered();
        byte[] b = new byte[(int) Math.min(want, Math.max(FIRST_ARRAY, received))];
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
        return filled == b.length ? b : Arrays.copyOf(b, filled);
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
        int pending = replayable(); // Bytes after this place read before (a reset replays them): kept.
        if (pending > 0) {
            System.arraycopy(this.marked, this.replay, this.marked, 0, pending);
            this.replay = 0;
        }
        else if (this.marked != null && this.marked.length > FIRST_ARRAY) {
            this.marked = null; // A large buffer of an earlier mark is not kept for a new one.
        }
        this.markedLength = pending;
        this.markLimit = Math.max(readlimit, 0);
        this.markValid = true;
        if (this.marked == null) {
            this.marked = new byte[Math.min(this.markLimit, 64)];
        }
    }

    /** Goes back to the mark; fails when there is none or more than its read limit was read since. */
    @Override
    public void reset() throws IOException {
        ensureReadable();
        if (!this.markValid) {
            throw new IOException("hotpool: reset of the response body from " + origin() + " without a valid mark "
                    + "(none was set, or more than its read limit was read since)");
        }
        this.replay = this.markedLength > 0 ? 0 : -1;
    }

    /** Bytes after a reset not yet read again. */
    private int replayable() {
        return this.replay >= 0 ? this.markedLength - this.replay : 0;
    }

    /**
     * Keeps bytes just read from the connection for {@link #reset}, growing the buffer as needed; past the mark's read
     * limit, the mark is given up and its bytes let go.
     */
    private void record(byte[] b, int off, int n) {
        if (!this.markValid) {
            return;
        }
        long length = (long) this.markedLength + n;
        if (length > this.markLimit) {
            this.markValid = false;
            this.marked = null;
            this.markedLength = 0;
            return;
        }
        if (length > this.marked.length) {
            this.marked = Arrays.copyOf(this.marked,
                    (int) Math.min(this.markLimit, Math.max(length, 2L * this.marked.length)));
        }
        System.arraycopy(b, off, this.marked, this.markedLength, n);
        this.markedLength = (int) length;
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
        this.marked = null;
        this.replay = -1;
        this.markValid = false;
    }

    /**
     * Keeps the connection when the message ends until {@link #close()} (or {@link #abandon()}): for a decoded body,
     * whose connection must not go back before its decoder has found the bytes sound.
     */
    @Override
    void holdUntilClose() {
        this.holdUntilClose = true;
    }

    /** Gives up on the message (its decoded form was corrupt): the connection is closed, not reused. */
    @Override
    void abandon() {
        if (this.state == State.OPEN || this.endPending) {
            this.state = State.FAILED;
            this.failure = new HotPoolException("hotpool: the response body from " + origin() + " was given up", null);
            this.endPending = false;
            letGo();
            this.lease.discard(CloseReason.ERROR);
        }
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

    /**
     * Gives the connection of an ended message back, or closes it when it may not carry another exchange: also when
     * bytes came after the message (received, or waiting in the connection), which proves its framing wrong.
     */
    private void finish() {
        this.endPending = false;
        letGo();
        if (this.reusable && this.codec.in.endsCleanly()) {
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
