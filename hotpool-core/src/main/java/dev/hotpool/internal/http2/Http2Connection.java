package dev.hotpool.internal.http2;

import dev.hotpool.CloseReason;
import dev.hotpool.Header;
import dev.hotpool.HotPoolException;
import dev.hotpool.Origin;
import dev.hotpool.internal.pool.Multiplex;
import dev.hotpool.internal.pool.Transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one HTTP/2 connection (RFC 9113) over a pooled transport: the preface and SETTINGS, streams
 * opened by request threads, one reader thread that hands each frame to its stream, flow control both ways, PING,
 * GOAWAY and RST_STREAM. The pool sees it as a {@link Multiplex}: how many streams it takes now, whether it takes any,
 * a ping, its end.
 *
 * <p>Errors follow RFC 9113 §5.4: a stream error (a malformed response, a window overrun on one stream) resets that
 * stream and fails only its request; a connection error (a frame that breaks the protocol, HPACK that cannot be
 * decoded, a window overrun on the connection) sends GOAWAY, fails every stream and closes the connection. Streams the
 * server did not process (above a GOAWAY's last stream id, or reset with REFUSED_STREAM) fail with
 * {@link StreamRefusedException}, which a caller may retry anywhere.
 *
 * <p>Thread-safe. Locks, never held while waiting on another: {@link #writeLock} over the writer, the HPACK encoder and
 * stream ids (held while writing to the socket); {@link #flow} over the send windows (a sender waits on it for a
 * window, then writes under {@link #writeLock}); each stream's own lock over what it received.
 */
public final class Http2Connection implements Multiplex {

    private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);

    private static final AtomicInteger READERS = new AtomicInteger();

    /** The largest stream id a client may use (odd, below 2^31). */
    private static final int LAST_STREAM_ID = Integer.MAX_VALUE;

    private final String origin;
    private final Transport transport;
    private final Http2Options options;
    private final Multiplex.Events events;
    private final FrameReader reader;
    private final FieldBlock block;
    private final HpackDecoder decoder;

    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by writeLock. */
    private final FrameWriter writer;
    /** Guarded by writeLock. */
    private final OutputStream out;
    /** Guarded by writeLock. */
    private final HpackEncoder encoder;
    /**
     * The id of the next stream, -1 once they are used up: written under writeLock, read by the reader without it (the
     * reader must never wait for a writer, which may be stuck on a full socket).
     */
    private volatile int nextStreamId = 1;

    private final ReentrantLock flow = new ReentrantLock();
    private final Condition windowOpened = this.flow.newCondition();
    /** Guarded by flow: what may still be sent on the connection. */
    private long sendWindow = Http2Options.DEFAULT_WINDOW;
    /** Guarded by flow: the server's SETTINGS_INITIAL_WINDOW_SIZE. */
    private long peerInitialWindow = Http2Options.DEFAULT_WINDOW;

    /** Open streams by id. */
    private final Map<Integer, Http2Stream> streams = new ConcurrentHashMap<>();
    /** The server's SETTINGS_MAX_CONCURRENT_STREAMS; unlimited until it says. */
    private volatile int peerMaxStreams = Integer.MAX_VALUE;
    /** Set once a GOAWAY came or went, or the connection failed: no new streams. */
    private volatile boolean goingAway;
    /** Set once the connection is closed or failed. */
    private volatile boolean closed;
    /** What the server may still send on the connection: the reader takes DATA from it, WINDOW_UPDATEs add. */
    private final AtomicLong recvWindow;
    /** Bytes read by callers (or discarded) since the last connection WINDOW_UPDATE. */
    private final AtomicLong unacknowledged = new AtomicLong();
    /** Pings sent and not answered, by their data. */
    private final Map<Long, CountDownLatch> pings = new ConcurrentHashMap<>();
    private final AtomicLong pingData = new AtomicLong(System.nanoTime());
    private Thread readerThread;
    /** DATA arrays read out by their streams' callers, for the reader to fill again (at most {@link #SPARES}). */
    private final ConcurrentLinkedQueue<byte[]> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    /** The size of a spare DATA array: the largest frame hotpool accepts. */
    private final int spareSize;

    /**
     * How many DATA arrays a connection keeps for reuse: 4 MiB at the default 16 KiB frames, a quarter of the default
     * connection window (what a connection may hold unread anyway). With 64 (1 MiB), eight callers reading 1 MiB bodies
     * at once still allocated 2.7 MB per body over BCJSSE; with 256, 2.3 MB.
     */
    private static final int SPARES = 256;

    /** Frames larger than this are read into arrays of their own: spares of their size would cost too much memory. */
    private static final int MAX_SPARE_SIZE = 64 * 1024;

    /** DATA payloads shorter than this get an array of their own size: a spare would waste most of itself. */
    private static final int MIN_SPARE_USE = 1024;

    private Http2Connection(Origin origin, Transport transport, Http2Options options, Multiplex.Events events) {
        this.origin = origin.toString();
        this.transport = transport;
        this.options = options;
        this.events = events;
        // Two reads per frame (header, payload): buffered, most frames come in one read of the socket.
        this.reader = new FrameReader(new BufferedInputStream(transport.in(), 16 * 1024), options.maxFrameSize(),
                this.origin);
        this.spareSize = options.maxFrameSize();
        if (this.spareSize <= MAX_SPARE_SIZE) {
            this.reader.setDataArrays(this::dataArray);
        }
        this.block = new FieldBlock(options.maxHeaderListSize() + 4096, this.origin);
        this.decoder = new HpackDecoder(options.headerTableSize(), options.maxHeaderListSize(), this.origin);
        this.out = new BufferedOutputStream(transport.out(), 16 * 1024);
        this.writer = new FrameWriter(this.out);
        this.encoder = new HpackEncoder(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE);
        this.recvWindow = new AtomicLong(options.connectionWindowSize());
    }

    /**
     * Starts HTTP/2 on a new connection: sends the preface, hotpool's SETTINGS and connection window, reads the
     * server's SETTINGS (the first frame it must send) within {@code timeoutMillis}, then starts the reader.
     *
     * @throws IOException when the server does not answer with SETTINGS in time, or breaks the protocol; names the
     *     origin
     */
    public static Http2Connection open(Origin origin, Transport transport, Http2Options options,
            Multiplex.Events events, int timeoutMillis) throws IOException {
        Http2Connection c = new Http2Connection(origin, transport, options, events);
        c.start(timeoutMillis);
        return c;
    }

    private void start(int timeoutMillis) throws IOException {
        this.writeLock.lock();
        try {
            this.writer.preface();
            this.writer.settings(this.options.settings());
            int increment = this.options.connectionWindowIncrement();
            if (increment > 0) {
                this.writer.windowUpdate(0, increment);
            }
            this.out.flush();
        }
        finally {
            this.writeLock.unlock();
        }
        this.transport.soTimeout(Math.max(1, timeoutMillis));
        Frame first;
        try {
            first = this.reader.read();
        }
        catch (SocketTimeoutException e) {
            throw new HotPoolException("hotpool: " + this.origin + " sent no HTTP/2 SETTINGS within " + timeoutMillis
                    + " ms of the connection preface", e);
        }
        catch (ConnectionEndedException e) {
            throw new HotPoolException("hotpool: " + this.origin + " closed the connection instead of answering the "
                    + "HTTP/2 connection preface", e);
        }
        if (first.type() != FrameType.SETTINGS || first.isAck()) {
            throw failStart(Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, this.origin, "the server's first frame "
                    + "was " + first + ", not SETTINGS (RFC 9113 §3.4)"));
        }
        try {
            onSettings(first);
        }
        catch (Http2Exception e) {
            throw failStart(e);
        }
        this.transport.soTimeout(0); // The reader waits as long as the connection lives; requests time out per stream.
        this.readerThread = new Thread(this::readLoop, "hotpool-h2-reader-" + READERS.incrementAndGet());
        this.readerThread.setDaemon(true);
        this.readerThread.start();
    }

    private IOException failStart(Http2Exception e) {
        goAwayQuietly(e.errorCode(), e.getMessage());
        return e;
    }

    // ---- Multiplex: the pool's view ------------------------------------------------------------------------------

    @Override
    public int streamLimit() {
        int cap = this.options.maxConcurrentStreams();
        return cap > 0 ? Math.min(cap, this.peerMaxStreams) : this.peerMaxStreams;
    }

    @Override
    public boolean accepting() {
        return !this.goingAway && !this.closed;
    }

    @Override
    public boolean ping() {
        if (this.closed) {
            return false;
        }
        long data = this.pingData.incrementAndGet();
        CountDownLatch answered = new CountDownLatch(1);
        this.pings.put(data, answered);
        try {
            this.writeLock.lock();
            try {
                this.writer.ping(data);
                this.out.flush();
            }
            finally {
                this.writeLock.unlock();
            }
            return answered.await(this.options.pingTimeoutMillis(), TimeUnit.MILLISECONDS) && !this.closed;
        }
        catch (IOException e) {
            fail(new HotPoolException("hotpool: the HTTP/2 connection to " + this.origin + " failed: " + e, e), true);
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        finally {
            this.pings.remove(data);
        }
    }

    /** Says GOAWAY (no error) when it can, closes the socket, fails the streams still open. Idempotent. */
    @Override
    public void close() {
        if (this.closed) {
            return;
        }
        goAwayQuietly(ErrorCode.NO_ERROR, null);
        fail(new HotPoolException("hotpool: the HTTP/2 connection to " + this.origin + " was closed"), false);
    }

    /** What this side advertises and its own limits. */
    public Http2Options options() {
        return this.options;
    }

    /** Open streams, for views and tests. */
    public int openStreams() {
        return this.streams.size();
    }

    // ---- streams: the request threads ------------------------------------------------------------------------------

    /**
     * Opens a stream with a request's field section (pseudo-header fields first); END_STREAM when it has no body.
     *
     * @param headRequest whether the request is a HEAD, whose response has no content whatever its content-length says
     * @throws StreamRefusedException when the connection takes no new stream (a GOAWAY, or its ids are used up): the
     *     request was not sent and may go to another connection
     */
    public Http2Stream newStream(List<Header> fields, boolean endStream, boolean headRequest) throws IOException {
        this.writeLock.lock();
        try {
            if (!accepting() || this.nextStreamId < 0) {
                throw new StreamRefusedException("hotpool: the HTTP/2 connection to " + this.origin
                        + " takes no new stream (" + (this.closed ? "closed" : "going away") + ")");
            }
            int id = this.nextStreamId;
            this.nextStreamId = id >= LAST_STREAM_ID - 1 ? -1 : id + 2;
            long window;
            this.flow.lock();
            try {
                window = this.peerInitialWindow;
            }
            finally {
                this.flow.unlock();
            }
            Http2Stream stream = new Http2Stream(this, id, this.origin, window, this.options.initialWindowSize(),
                    headRequest);
            this.streams.put(id, stream);
            byte[] block = this.encoder.encode(fields);
            try {
                this.writer.headers(id, block, endStream);
            }
            catch (IOException e) {
                this.streams.remove(id);
                throw lost(e);
            }
            if (this.nextStreamId < 0) {
                this.goingAway = true; // Ids used up: this one finishes, the next goes to a new connection.
                this.events.draining(CloseReason.MAX_REQUESTS);
            }
            return stream;
        }
        finally {
            flushAndUnlock();
        }
    }

    /** Sends DATA as the windows allow; waits up to {@code timeoutMillis} for a window that stays closed. */
    void sendData(Http2Stream stream, byte[] b, int off, int len, boolean endStream, int timeoutMillis)
            throws IOException {
        if (len == 0) {
            writeData(stream, b, off, 0, endStream);
            return;
        }
        while (len > 0) {
            int n = reserve(stream, len, timeoutMillis);
            writeData(stream, b, off, n, endStream && n == len);
            off += n;
            len -= n;
        }
    }

    private void writeData(Http2Stream stream, byte[] b, int off, int n, boolean endStream) throws IOException {
        this.writeLock.lock();
        try {
            if (this.closed) {
                throw new HotPoolException("hotpool: the HTTP/2 connection to " + this.origin + " closed while the "
                        + "request body was being sent");
            }
            this.writer.data(stream.id(), b, off, n, endStream);
        }
        catch (IOException e) {
            throw e instanceof HotPoolException ? e : lost(e);
        }
        finally {
            flushAndUnlock();
        }
    }

    /** Takes up to {@code wanted} bytes of both send windows, waiting for them to open. */
    private int reserve(Http2Stream stream, int wanted, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
        boolean flushed = false;
        this.flow.lock();
        try {
            while (true) {
                if (this.closed) {
                    throw new HotPoolException("hotpool: the HTTP/2 connection to " + this.origin + " closed while "
                            + "the request body was being sent");
                }
                long n = Math.min(Math.min(stream.sendWindow, this.sendWindow), Math.min(wanted,
                        this.writer.maxFrameSize()));
                if (n > 0) {
                    stream.sendWindow -= n;
                    this.sendWindow -= n;
                    return (int) n;
                }
                if (!flushed) {
                    this.flow.unlock();
                    try {
                        flush(); // What was written must reach the server before it can open a window.
                    }
                    finally {
                        this.flow.lock();
                    }
                    flushed = true;
                    continue;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new SocketTimeoutException("hotpool: HTTP/2 flow control: " + this.origin + " kept the "
                            + (stream.sendWindow <= 0 ? "stream's" : "connection's") + " send window closed for "
                            + timeoutMillis + " ms while the request body of stream " + stream.id() + " waited");
                }
                try {
                    this.windowOpened.awaitNanos(remaining);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("hotpool: interrupted while waiting for " + this.origin
                            + " to open an HTTP/2 flow-control window");
                }
            }
        }
        finally {
            this.flow.unlock();
        }
    }

    private void flush() throws IOException {
        this.writeLock.lock();
        try {
            this.out.flush();
        }
        finally {
            this.writeLock.unlock();
        }
    }

    /**
     * Ends a hold of the write lock that wrote something the server waits for: flushes, unless another thread waits
     * for the lock, which then writes its frames behind these and flushes them together (every hold that writes ends
     * here, so the last one of a run flushes). Under load, many requests' frames go out in one TLS record and one
     * system call instead of one each. A flush that fails fails the connection.
     */
    private void flushAndUnlock() {
        try {
            if (!this.writeLock.hasQueuedThreads() && !this.closed) {
                this.out.flush();
            }
        }
        catch (IOException e) {
            lost(e);
        }
        finally {
            this.writeLock.unlock();
        }
    }

    /**
     * A caller read {@code n} bytes of a stream: gives them back to the connection's window, and {@code streamUpdate}
     * bytes to the stream's, in WINDOW_UPDATEs once half a window has been read.
     */
    void consumed(Http2Stream stream, int n, int streamUpdate) throws IOException {
        long pending = this.unacknowledged.addAndGet(n);
        int connectionUpdate = 0;
        if (pending >= this.options.connectionWindowSize() / 2
                && this.unacknowledged.compareAndSet(pending, 0)) {
            connectionUpdate = (int) pending;
        }
        if (connectionUpdate == 0 && streamUpdate == 0) {
            return;
        }
        this.writeLock.lock();
        try {
            if (this.closed) {
                return;
            }
            if (connectionUpdate > 0) {
                windowOpenedLocally(connectionUpdate, null);
                this.writer.windowUpdate(0, connectionUpdate);
            }
            if (streamUpdate > 0 && this.streams.containsKey(stream.id())) {
                windowOpenedLocally(streamUpdate, stream);
                this.writer.windowUpdate(stream.id(), streamUpdate);
            }
            this.out.flush();
        }
        catch (IOException e) {
            throw lost(e);
        }
        finally {
            this.writeLock.unlock();
        }
    }

    /** The receive window grows by what a WINDOW_UPDATE about to go out gives. */
    private void windowOpenedLocally(int increment, Http2Stream stream) {
        (stream == null ? this.recvWindow : stream.recvWindow).addAndGet(increment);
    }

    /**
     * An array for a DATA payload of {@code length} bytes: a spare one read out already, or a new one of the spare
     * size, or for a short payload a new one of its own size. The reader calls it.
     */
    private byte[] dataArray(int length) {
        if (length < MIN_SPARE_USE) {
            return new byte[length];
        }
        byte[] spare = this.spares.poll();
        if (spare != null) {
            this.spareCount.decrementAndGet();
            return spare;
        }
        return new byte[this.spareSize];
    }

    /**
     * A DATA array whose bytes have all been copied out and that nothing refers to any more: kept for the reader's
     * next frames (arrays of another size, and any beyond {@link #SPARES}, are left to the collector).
     */
    void recycle(byte[] array) {
        if (array.length == this.spareSize && this.spareCount.incrementAndGet() <= SPARES) {
            this.spares.offer(array);
        }
        else if (array.length == this.spareSize) {
            this.spareCount.decrementAndGet();
        }
    }

    /** Bytes that arrived for a stream nobody reads any more: the connection's window gets them back. */
    void discardBuffered(long n) {
        if (n > 0) {
            this.unacknowledged.addAndGet(n);
        }
    }

    /**
     * Bytes a cancelled stream had received and nobody will read: the connection's window gets them back, in a
     * WINDOW_UPDATE now when half the window is due. Not left for the reader's next DATA: with the window closed by
     * them, no DATA would come, and every stream of the connection would stall. Never called under a stream's lock.
     */
    void giveBack(long n) {
        discardBuffered(n);
        if (this.closed) {
            return;
        }
        try {
            giveBackIfDue();
        }
        catch (IOException e) {
            lost(e);
        }
    }

    /** A stream is done: out of the open streams; reset first when the server may still send on it. */
    void closeStream(Http2Stream stream, ErrorCode reset) {
        if (this.streams.remove(stream.id()) == null || reset == null || this.closed) {
            return;
        }
        this.writeLock.lock();
        try {
            this.writer.rstStream(stream.id(), reset);
            this.out.flush();
        }
        catch (IOException e) {
            fail(lost(e), true);
        }
        finally {
            this.writeLock.unlock();
        }
    }

    // ---- the reader ------------------------------------------------------------------------------------------------

    private void readLoop() {
        try {
            while (!this.closed) {
                try {
                    dispatch(this.reader.read());
                }
                catch (Http2Exception e) {
                    if (e.isConnectionError()) {
                        throw e;
                    }
                    streamError(e); // The frame was read to its end: the connection goes on.
                }
            }
        }
        catch (Http2Exception e) {
            goAwayQuietly(e.errorCode(), e.getMessage());
            fail(e, true);
        }
        catch (ConnectionEndedException e) {
            fail(new HotPoolException("hotpool: " + this.origin + " closed the HTTP/2 connection"
                    + (this.goingAway ? " after its GOAWAY" : " without a GOAWAY"), e), true);
        }
        catch (IOException | RuntimeException e) {
            if (!this.closed) {
                fail(new HotPoolException("hotpool: the HTTP/2 connection to " + this.origin + " failed: " + e, e),
                        true);
            }
        }
    }

    private void dispatch(Frame f) throws IOException {
        if (this.block.inProgress() || f.type() == FrameType.CONTINUATION) {
            if (this.block.add(f)) {
                onFieldBlock();
            }
            return;
        }
        switch (f.type()) {
            case FrameType.DATA -> onData(f);
            case FrameType.HEADERS -> {
                if (this.block.add(f)) {
                    onFieldBlock();
                }
            }
            case FrameType.SETTINGS -> {
                if (!f.isAck()) {
                    onSettings(f);
                }
            }
            case FrameType.PING -> onPing(f);
            case FrameType.WINDOW_UPDATE -> onWindowUpdate(f);
            case FrameType.RST_STREAM -> onReset(f);
            case FrameType.GOAWAY -> onGoAway(f);
            case FrameType.PUSH_PROMISE -> throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, this.origin,
                    "PUSH_PROMISE although hotpool's SETTINGS_ENABLE_PUSH is 0 (RFC 9113 §8.4)");
            default -> {
                // PRIORITY and extension frames: nothing to do (RFC 9113 §5.3.2, §5.5).
            }
        }
    }

    private void onFieldBlock() throws IOException {
        Frame first = this.block.first();
        int id = first.streamId();
        List<Header> fields;
        try {
            fields = this.decoder.decode(this.block.array(), this.block.offset(), this.block.length(), id);
        }
        finally {
            this.block.clear();
        }
        Http2Stream stream = knownStream(id);
        if (stream == null) {
            return; // Decoded all the same: the HPACK table is the connection's.
        }
        try {
            if (stream.onHeaders(fields, first.isEndStream())) {
                this.streams.remove(id);
            }
        }
        catch (Http2Exception e) {
            streamError(stream, e);
        }
    }

    private void onData(Frame f) throws IOException {
        int id = f.streamId();
        int length = f.length(); // Padding counts toward flow control (RFC 9113 §6.1).
        if (this.recvWindow.addAndGet(-length) < 0) {
            throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, this.origin, "DATA beyond the connection "
                    + "window hotpool advertised (" + this.options.connectionWindowSize() + " bytes)");
        }
        Http2Stream stream = knownStream(id);
        if (stream == null) {
            discardBuffered(length);
            recycle(f.payload()); // Nothing else holds it.
            giveBackIfDue();
            return;
        }
        boolean overrun = stream.recvWindow.addAndGet(-length) < 0;
        int padding = length - f.payloadLength();
        try {
            if (overrun) {
                throw Http2Exception.stream(ErrorCode.FLOW_CONTROL_ERROR, id, this.origin, "DATA beyond the stream "
                        + "window hotpool advertised (" + this.options.initialWindowSize() + " bytes)");
            }
            if (stream.onData(f.payload(), f.payloadOffset(), f.payloadLength(), f.isEndStream())) {
                this.streams.remove(id);
            }
        }
        catch (Http2Exception e) {
            discardBuffered(length);
            streamError(stream, e);
            giveBackIfDue();
            return;
        }
        // The padding is never read by anyone: both windows get it back now, as if the caller had read it (a server
        // padding every frame would otherwise close the stream's window with bytes the caller never sees).
        stream.discarded(padding);
        giveBackIfDue();
    }

    /** Sends the connection WINDOW_UPDATE due for bytes nobody will read. */
    private void giveBackIfDue() throws IOException {
        long pending = this.unacknowledged.get();
        if (pending >= this.options.connectionWindowSize() / 2 && this.unacknowledged.compareAndSet(pending, 0)) {
            this.writeLock.lock();
            try {
                if (this.closed) {
                    return;
                }
                windowOpenedLocally((int) pending, null);
                this.writer.windowUpdate(0, (int) pending);
                this.out.flush();
            }
            finally {
                this.writeLock.unlock();
            }
        }
    }

    /**
     * The stream a HEADERS or DATA frame is for: an open one, or {@code null} for one hotpool closed (reset or done)
     * whose frames may still be in flight. An id hotpool never used is a connection error.
     */
    private Http2Stream knownStream(int id) throws Http2Exception {
        Http2Stream stream = this.streams.get(id);
        if (stream == null && (id % 2 == 0 || id >= this.nextStreamIdSnapshot())) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, this.origin, "a frame on stream " + id
                    + ", which hotpool never opened");
        }
        return stream;
    }

    private int nextStreamIdSnapshot() {
        int next = this.nextStreamId;
        return next < 0 ? Integer.MAX_VALUE : next;
    }

    /** A stream error found here: the stream is reset and its request fails; the connection goes on. */
    private void streamError(Http2Stream stream, Http2Exception e) {
        stream.fail(e, true);
        closeStream(stream, e.errorCode());
    }

    /** A stream error the reader or decoder found: its stream, if still open, fails; the server hears RST_STREAM. */
    private void streamError(Http2Exception e) throws IOException {
        Http2Stream stream = this.streams.get(e.streamId());
        if (stream != null) {
            streamError(stream, e);
            return;
        }
        knownStream(e.streamId()); // A stream hotpool never opened is a connection error.
        this.writeLock.lock();
        try {
            this.writer.rstStream(e.streamId(), e.errorCode());
            this.out.flush();
        }
        finally {
            this.writeLock.unlock();
        }
    }

    private void onSettings(Frame f) throws IOException {
        boolean grew = false;
        for (Setting s : f.settings()) {
            s.checkReceived(this.origin);
            switch (s.id()) {
                case Setting.MAX_CONCURRENT_STREAMS -> {
                    int limit = (int) Math.min(Integer.MAX_VALUE, s.value());
                    grew |= limit > this.peerMaxStreams;
                    this.peerMaxStreams = limit;
                }
                case Setting.INITIAL_WINDOW_SIZE -> {
                    this.flow.lock();
                    try {
                        long delta = s.value() - this.peerInitialWindow;
                        this.peerInitialWindow = s.value();
                        for (Http2Stream stream : this.streams.values()) {
                            stream.sendWindow += delta;
                            if (stream.sendWindow > Setting.MAX_WINDOW_SIZE) {
                                throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, this.origin,
                                        "SETTINGS_INITIAL_WINDOW_SIZE made a stream's window exceed 2^31-1");
                            }
                        }
                        this.windowOpened.signalAll();
                    }
                    finally {
                        this.flow.unlock();
                    }
                }
                case Setting.MAX_FRAME_SIZE -> {
                    this.writeLock.lock();
                    try {
                        this.writer.setMaxFrameSize((int) s.value());
                    }
                    finally {
                        flushAndUnlock(); // A writer that left its frames to this hold gets them flushed.
                    }
                }
                case Setting.HEADER_TABLE_SIZE -> {
                    this.writeLock.lock();
                    try {
                        this.encoder.setPeerMaxHeaderTableSize(s.value());
                    }
                    finally {
                        flushAndUnlock();
                    }
                }
                default -> {
                    // ENABLE_PUSH and MAX_HEADER_LIST_SIZE from a server change nothing here; unknown ones are ignored.
                }
            }
        }
        this.writeLock.lock();
        try {
            this.writer.settingsAck();
            this.out.flush();
        }
        finally {
            this.writeLock.unlock();
        }
        if (grew && this.readerThread != null) {
            this.events.limitChanged();
        }
    }

    private void onPing(Frame f) throws IOException {
        if (f.isAck()) {
            CountDownLatch answered = this.pings.get(f.pingData());
            if (answered != null) {
                answered.countDown();
            }
            return;
        }
        this.writeLock.lock();
        try {
            this.writer.pingAck(f.pingData());
            this.out.flush();
        }
        finally {
            this.writeLock.unlock();
        }
    }

    private void onWindowUpdate(Frame f) throws IOException {
        int id = f.streamId();
        int increment;
        try {
            increment = f.windowIncrement();
        }
        catch (Http2Exception e) {
            if (e.isConnectionError()) {
                throw e;
            }
            Http2Stream stream = this.streams.get(id);
            if (stream != null) {
                streamError(stream, e);
            }
            return;
        }
        this.flow.lock();
        try {
            if (id == 0) {
                this.sendWindow += increment;
                if (this.sendWindow > Setting.MAX_WINDOW_SIZE) {
                    throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, this.origin,
                            "a WINDOW_UPDATE made the connection's send window exceed 2^31-1");
                }
            }
            else {
                Http2Stream stream = this.streams.get(id);
                if (stream != null) {
                    stream.sendWindow += increment;
                    if (stream.sendWindow > Setting.MAX_WINDOW_SIZE) {
                        this.flow.unlock();
                        try {
                            streamError(stream, Http2Exception.stream(ErrorCode.FLOW_CONTROL_ERROR, id, this.origin,
                                    "a WINDOW_UPDATE made the stream's send window exceed 2^31-1"));
                        }
                        finally {
                            this.flow.lock();
                        }
                    }
                }
            }
            this.windowOpened.signalAll();
        }
        finally {
            this.flow.unlock();
        }
    }

    private void onReset(Frame f) throws Http2Exception {
        int id = f.streamId();
        Http2Stream stream = this.streams.remove(id);
        if (stream == null) {
            knownStream(id);
            return;
        }
        int code = f.errorCode();
        if (code == ErrorCode.REFUSED_STREAM.code()) {
            stream.onReset(new StreamRefusedException("hotpool: " + this.origin + " refused HTTP/2 stream " + id
                    + " (REFUSED_STREAM): the request was not processed"));
        }
        else {
            stream.onReset(new HotPoolException("hotpool: " + this.origin + " reset HTTP/2 stream " + id + " ("
                    + ErrorCode.describe(code) + ")"));
        }
        this.flow.lock();
        try {
            this.windowOpened.signalAll(); // A body waiting for a window gives up.
        }
        finally {
            this.flow.unlock();
        }
    }

    private void onGoAway(Frame f) {
        int last = f.lastStreamId();
        int code = f.errorCode();
        this.goingAway = true;
        List<Http2Stream> refused = new ArrayList<>();
        for (Http2Stream stream : this.streams.values()) {
            if (stream.id() > last) {
                refused.add(stream);
            }
        }
        for (Http2Stream stream : refused) {
            this.streams.remove(stream.id());
            stream.onReset(new StreamRefusedException("hotpool: " + this.origin + " sent GOAWAY ("
                    + ErrorCode.describe(code) + ", last stream " + last + ") before processing HTTP/2 stream "
                    + stream.id() + ": the request was not processed"));
        }
        if (log.isDebugEnabled()) {
            log.debug("hotpool: {} sent GOAWAY ({}, last stream {}); {} stream(s) refused, {} finishing", this.origin,
                    ErrorCode.describe(code), last, refused.size(), this.streams.size());
        }
        this.events.draining(code == ErrorCode.NO_ERROR.code() ? CloseReason.SERVER_CLOSED : CloseReason.ERROR);
    }

    // ---- the end ----------------------------------------------------------------------------------------------------

    /** Sends a GOAWAY if the socket takes it within a moment; never waits on a writer stuck on a full socket. */
    private void goAwayQuietly(ErrorCode code, String debug) {
        try {
            if (!this.writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (this.closed) {
                return;
            }
            byte[] data = debug == null || code == ErrorCode.NO_ERROR ? null
                    : debug.substring(0, Math.min(debug.length(), 256)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            this.writer.goAway(0, code, data);
            this.out.flush();
        }
        catch (IOException | RuntimeException e) {
            // The connection is going anyway.
        }
        finally {
            this.writeLock.unlock();
        }
    }

    /**
     * The connection is over: no new streams, every open stream fails with {@code cause}, the socket closes, and the
     * pool hears of it ({@code tell}) so it closes the connection when its last stream lets go.
     */
    private void fail(IOException cause, boolean tell) {
        boolean first = !this.closed;
        this.goingAway = true;
        this.closed = true;
        for (Http2Stream stream : this.streams.values()) {
            stream.fail(cause instanceof Http2Exception h && h.isConnectionError() ? cause
                    : new ConnectionLostException(cause.getMessage(), cause), true);
        }
        this.streams.clear();
        for (CountDownLatch ping : this.pings.values()) {
            ping.countDown();
        }
        this.flow.lock();
        try {
            this.windowOpened.signalAll();
        }
        finally {
            this.flow.unlock();
        }
        if (first) {
            this.transport.abort();
            if (tell) {
                this.events.draining(cause instanceof Http2Exception ? CloseReason.ERROR : CloseReason.SERVER_CLOSED);
            }
        }
    }

    /** A write failed: the connection is lost; every stream hears of it. */
    private IOException lost(IOException e) {
        HotPoolException cause = new HotPoolException("hotpool: writing to the HTTP/2 connection to " + this.origin
                + " failed: " + e, e);
        fail(cause, true);
        return new ConnectionLostException(cause.getMessage(), e);
    }

    @Override
    public String toString() {
        return "HTTP/2 connection to " + this.origin + " (" + this.streams.size() + " open streams, "
                + (this.closed ? "closed" : this.goingAway ? "going away" : "open") + ")";
    }
}
