package dev.hotpool.internal.http2;

import dev.hotpool.Header;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request's stream on an {@link Http2Connection}: what the connection's reader hands it (the response head, the
 * DATA, the trailers, a reset, the connection's end) and what the request's thread waits for. The request thread
 * blocks only on this stream's condition, never on the connection's reader.
 *
 * <p>Flow control of what it receives: the bytes the caller has read are given back to the server in WINDOW_UPDATEs
 * (for the stream and, through the connection, for the connection) once half a window has been read, so a server never
 * sends more than the windows hotpool advertised ahead of what the caller has read.
 *
 * <p>Thread-safe: the reader's calls and the request thread's meet under {@link #lock}; its send window is guarded by
 * the connection's flow-control lock.
 */
public final class Http2Stream {

    /** A DATA payload not yet read: a slice of a frame's own array. */
    private record Chunk(byte[] array, int offset, int length) {
    }

    private final Http2Connection connection;
    /** Whether the request was a HEAD: its response has no content, whatever its content-length says. */
    private final boolean headRequest;
    private final int id;
    private final String origin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = this.lock.newCondition();

    /** Guarded by the connection's flow-control lock: what this stream may still send. */
    long sendWindow;

    /** Guarded by lock: the final response head, once it came. */
    private ResponseFields.Head head;
    /** Guarded by lock: DATA not yet read, oldest first. */
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    /** Guarded by lock: bytes in {@link #chunks}. */
    private long buffered;
    /** Guarded by lock: the server sent END_STREAM. */
    private boolean remoteClosed;
    /** Guarded by lock: why the stream failed (reset, malformed, the connection's end); reads throw it. */
    private IOException failure;
    /** Guarded by lock: body bytes the caller has read. */
    private long readTotal;
    /** Guarded by lock: DATA bytes received, against the head's content-length. */
    private long received;
    /** Guarded by lock: anything came for this stream (a head, DATA, a reset). */
    private boolean answered;

    /**
     * Bytes read by the caller, or discarded by the reader (padding), since the last WINDOW_UPDATE for the stream: the
     * request thread and the connection's reader both add to it.
     */
    private final AtomicInteger unacknowledged = new AtomicInteger();
    /** The receive window this stream advertised; the reader counts the server's DATA against it. */
    private final int recvWindowSize;
    /** What the server may still send on the stream: the reader takes DATA from it, WINDOW_UPDATEs add. */
    final AtomicLong recvWindow;

    Http2Stream(Http2Connection connection, int id, String origin, long sendWindow, int recvWindow,
            boolean headRequest) {
        this.headRequest = headRequest;
        this.connection = connection;
        this.id = id;
        this.origin = origin;
        this.sendWindow = sendWindow;
        this.recvWindowSize = recvWindow;
        this.recvWindow = new AtomicLong(recvWindow);
    }

    public int id() {
        return this.id;
    }

    public Http2Connection connection() {
        return this.connection;
    }

    // ---- the request thread ------------------------------------------------------------------------------------

    /**
     * Sends request body bytes as DATA, as the flow-control windows allow.
     *
     * @param timeoutMillis how long to wait for a window that stays closed
     */
    public void write(byte[] b, int off, int len, int timeoutMillis) throws IOException {
        this.connection.sendData(this, b, off, len, false, timeoutMillis);
    }

    /** Ends the request body (an empty DATA with END_STREAM). */
    public void endRequest(int timeoutMillis) throws IOException {
        this.connection.sendData(this, new byte[0], 0, 0, true, timeoutMillis);
    }

    /**
     * Waits for the final response head (interim 1xx heads are skipped).
     *
     * @throws SocketTimeoutException when none came within {@code timeoutMillis}
     * @throws IOException the stream's failure: a reset, a malformed response, the connection's end
     */
    public ResponseFields.Head awaitHead(int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.lock.lock();
        try {
            while (this.head == null) {
                throwFailure();
                await(deadline, timeoutMillis, "the response head");
            }
            return this.head;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Reads body bytes into {@code b}, waiting up to {@code timeoutMillis} for some; -1 at the end of the body.
     *
     * @throws SocketTimeoutException when nothing came in time (the body stalled)
     */
    public int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
        if (len == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int n;
        this.lock.lock();
        try {
            while (this.chunks.isEmpty()) {
                throwFailure();
                if (this.remoteClosed) {
                    return -1;
                }
                await(deadline, timeoutMillis, "the response body");
            }
            Chunk c = this.chunks.peekFirst();
            n = Math.min(len, c.length);
            System.arraycopy(c.array, c.offset, b, off, n);
            if (n == c.length) {
                this.chunks.pollFirst();
                this.connection.recycle(c.array); // Read out, and held by nothing else: the reader may fill it again.
            }
            else {
                this.chunks.pollFirst();
                this.chunks.addFirst(new Chunk(c.array, c.offset + n, c.length - n));
            }
            this.buffered -= n;
            this.readTotal += n;
        }
        finally {
            this.lock.unlock();
        }
        consumed(n);
        return n;
    }

    /**
     * How many body bytes the caller has yet to read by the response's {@code content-length} ({@code -1} when it has
     * none, or before the head): what a sized read may expect, never allocated before the bytes arrive.
     */
    public long remainingContentLength() {
        this.lock.lock();
        try {
            return this.head == null || this.head.contentLength() < 0 ? -1
                    : Math.max(0, this.head.contentLength() - this.readTotal);
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Body bytes received and not read yet. */
    public int available() {
        this.lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, this.buffered);
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Whether the whole response has arrived and been read (END_STREAM, nothing buffered). */
    public boolean complete() {
        this.lock.lock();
        try {
            return this.remoteClosed && this.chunks.isEmpty() && this.failure == null;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Whether nothing at all came for the stream before it failed: with the connection's end, the request may not
     * have been processed (as an HTTP/1.1 connection closed before any response byte).
     */
    public boolean unanswered() {
        this.lock.lock();
        try {
            return !this.answered;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Gives the stream up before its end: RST_STREAM(CANCEL) when the server may still send, and what it sends later
     * is discarded (and given back to the connection's window). Idempotent.
     */
    public void cancel() {
        boolean reset;
        long unread;
        this.lock.lock();
        try {
            reset = !this.remoteClosed && this.failure == null;
            if (this.failure == null) {
                this.failure = new IOException("hotpool: the stream " + this.id + " to " + this.origin
                        + " was cancelled");
            }
            this.changed.signalAll();
            unread = this.buffered;
            this.buffered = 0;
            this.chunks.clear();
        }
        finally {
            this.lock.unlock();
        }
        this.connection.closeStream(this, reset ? ErrorCode.CANCEL : null);
        // Outside the lock (a write takes the connection's write lock, which is held while streams are failed).
        this.connection.giveBack(unread);
    }

    private void consumed(int n) throws IOException {
        boolean open;
        this.lock.lock();
        try {
            open = !this.remoteClosed;
        }
        finally {
            this.lock.unlock();
        }
        int pending = this.unacknowledged.addAndGet(n);
        int update = 0;
        if (open && pending >= this.recvWindowSize / 2 && this.unacknowledged.compareAndSet(pending, 0)) {
            update = pending;
        }
        this.connection.consumed(this, n, update);
    }

    /**
     * Bytes of a DATA frame for this stream that nobody will read (its padding): given back to the stream's window and
     * the connection's as read bytes are. The connection's reader calls it.
     */
    void discarded(int n) throws IOException {
        if (n > 0) {
            consumed(n);
        }
    }

    /** Waits for a change, up to the deadline. Under lock. */
    private void await(long deadline, int timeoutMillis, String what) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("hotpool: " + what + " from " + this.origin + " did not come within "
                    + timeoutMillis + " ms (read timeout) on HTTP/2 stream " + this.id);
        }
        try {
            this.changed.awaitNanos(remaining);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("hotpool: interrupted while waiting for " + what + " from "
                    + this.origin);
        }
    }

    private void throwFailure() throws IOException {
        if (this.failure != null) {
            IOException f = this.failure;
            if (f instanceof Http2Exception h) {
                throw h.toMalformedResponse(); // What hotpool found wrong in the server's frames.
            }
            throw f;
        }
    }

    // ---- the connection's reader -----------------------------------------------------------------------------------

    /** A checked field section arrived; whether the stream is done receiving. */
    boolean onHeaders(List<Header> fields, boolean endStream) throws Http2Exception {
        this.lock.lock();
        try {
            this.answered = true;
            if (this.failure != null) {
                return false; // Whoever failed it takes it out of the connection's streams, with the RST it needs.
            }
            if (this.head == null) {
                ResponseFields.Head h = ResponseFields.check(fields, false, this.id, this.origin);
                if (h.isInterim()) {
                    if (endStream) {
                        throw Http2Exception.malformed(this.id, this.origin,
                                "an interim (" + h.status() + ") head ended the stream");
                    }
                    return false;
                }
                this.head = h;
                if (endStream) {
                    endLocked();
                }
            }
            else {
                if (!endStream) {
                    throw Http2Exception.malformed(this.id, this.origin,
                            "a second header section that does not end the stream (trailers must)");
                }
                ResponseFields.check(fields, true, this.id, this.origin);
                endLocked();
            }
            this.changed.signalAll();
            return this.remoteClosed;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * DATA arrived (already counted against the windows); whether the stream is done receiving. A stream failed or
     * cancelled meanwhile drops it and gives it back to the connection's window, and stays among the connection's
     * streams: whoever failed it takes it out, with the RST_STREAM it needs. (Taken out here, a cancel racing the
     * reader sent no RST_STREAM, and the server went on waiting for a window on a stream nobody read: every stream of
     * the connection stalled behind it.)
     */
    boolean onData(byte[] array, int offset, int length, boolean endStream) throws Http2Exception {
        this.lock.lock();
        try {
            this.answered = true;
            if (this.failure != null) {
                this.connection.discardBuffered(length);
                return false;
            }
            if (this.head == null) {
                throw Http2Exception.malformed(this.id, this.origin, "DATA before the response head");
            }
            this.received += length;
            if (length > 0 && bodiless()) {
                throw Http2Exception.malformed(this.id, this.origin, "DATA in a response that has no content ("
                        + (this.headRequest ? "to a HEAD request" : this.head.status()) + ")");
            }
            if (this.head.contentLength() >= 0 && this.received > this.head.contentLength()) {
                throw Http2Exception.malformed(this.id, this.origin, "more DATA (" + this.received
                        + " bytes so far) than its content-length " + this.head.contentLength());
            }
            if (length > 0) {
                this.chunks.addLast(new Chunk(array, offset, length));
                this.buffered += length;
            }
            if (endStream) {
                endLocked();
            }
            this.changed.signalAll();
            return this.remoteClosed;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Whether the response has no content: to a HEAD, or a 204 or 304 (RFC 9110 §6.4.1). Under lock. */
    private boolean bodiless() {
        return this.headRequest || this.head.status() == 204 || this.head.status() == 304;
    }

    /** The server ended its side: a content-length must have been met. Under lock. */
    private void endLocked() throws Http2Exception {
        this.remoteClosed = true;
        if (!bodiless() && this.head.contentLength() >= 0 && this.received != this.head.contentLength()) {
            this.remoteClosed = false;
            throw Http2Exception.malformed(this.id, this.origin, "the stream ended after " + this.received
                    + " bytes of DATA, but its content-length is " + this.head.contentLength());
        }
    }

    /** The stream failed (reset by either side, malformed, or the connection ended); waiters wake to the failure. */
    void fail(IOException cause, boolean counts) {
        this.lock.lock();
        try {
            if (this.failure == null && !(this.remoteClosed && this.chunks.isEmpty() && !counts)) {
                this.failure = cause;
            }
            this.changed.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    /** The server reset the stream; whatever came is kept only if the stream had already ended. */
    void onReset(IOException cause) {
        this.lock.lock();
        try {
            this.answered = true;
            if (this.failure == null && !this.remoteClosed) {
                this.failure = cause;
            }
            this.changed.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "HTTP/2 stream " + this.id + " to " + this.origin;
    }
}
