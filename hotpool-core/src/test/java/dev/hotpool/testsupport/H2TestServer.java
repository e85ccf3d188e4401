package dev.hotpool.testsupport;

import dev.hotpool.Header;
import dev.hotpool.internal.http2.ErrorCode;
import dev.hotpool.internal.http2.FieldBlock;
import dev.hotpool.internal.http2.Frame;
import dev.hotpool.internal.http2.FrameReader;
import dev.hotpool.internal.http2.FrameType;
import dev.hotpool.internal.http2.FrameWriter;
import dev.hotpool.internal.http2.HpackDecoder;
import dev.hotpool.internal.http2.HpackEncoder;
import dev.hotpool.internal.http2.Setting;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/2 server on loopback for tests: cleartext by prior knowledge (h2c) or TLS with ALPN {@code h2} (an EC
 * certificate from {@link TestCertificates}, which BCJSSE and SunJSSE clients both accept on TLS 1.3). Each accepted
 * connection runs a {@link Script} on its own thread with a {@link Peer} to read and write frames; {@link #respond}
 * gives the default well-behaved script (answers each request stream with a configurable status and body, honours the
 * client's flow-control windows, replies to PING, acknowledges SETTINGS) that hostile scripts can start from, reusing
 * the steps it is built of ({@link Peer#handshake()}, {@link Peer#serve}). Counts accepted connections, completed TLS
 * handshakes and answered requests.
 *
 * <p>Thread-safe. {@link #close()} closes the listener and every connection, and waits for every connection thread.
 */
public final class H2TestServer implements AutoCloseable {

    /** What a connection does, on its own thread; the connection is closed when it returns or throws. */
    @FunctionalInterface
    public interface Script {
        void run(Peer peer) throws IOException;
    }

    /** Answers one request. */
    @FunctionalInterface
    public interface Responder {
        Response respond(Request request);
    }

    /**
     * A request as the server read it.
     *
     * @param connection 1-based index of the connection it came on
     * @param streamId its stream
     * @param fields its decoded fields, pseudo-headers first as sent
     * @param body the DATA it carried
     */
    public record Request(int connection, int streamId, List<Header> fields, byte[] body) {

        /** The first value of a field (pseudo-headers included: {@code :path}), or {@code null}. */
        public String field(String name) {
            for (Header h : this.fields) {
                if (h.name().equals(name)) {
                    return h.value();
                }
            }
            return null;
        }
    }

    /** A response: status, extra fields (lowercase names) and body. */
    public record Response(int status, List<Header> fields, byte[] body) {

        public static Response of(int status, String body) {
            return new Response(status, List.of(), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The SETTINGS the default script sends: MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 65535. */
    public static final List<Setting> DEFAULT_SETTINGS = List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 100),
            new Setting(Setting.INITIAL_WINDOW_SIZE, 65535));

    private final LoopbackServer server;
    private final SSLContext tls;
    private final Script script;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Request> requestLog = Collections.synchronizedList(new ArrayList<>());
    /** The connection threads running now; each removes itself when done. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private H2TestServer(SSLContext tls, Script script) throws IOException {
        this.tls = tls;
        this.script = script;
        this.server = LoopbackServer.bind(InetAddress.getLoopbackAddress(), 0);
        this.server.serve(tls != null ? "h2-test-server" : "h2c-test-server", this::serve);
    }

    /** A cleartext server (prior knowledge) running {@code script} on each connection. */
    public static H2TestServer h2c(Script script) throws IOException {
        return new H2TestServer(null, script);
    }

    /** A TLS server offering only {@code h2} in ALPN, with this certificate, running {@code script}. */
    public static H2TestServer tls(TestCertificates certificates, Script script) throws IOException {
        return new H2TestServer(certificates.serverContext(), script);
    }

    /** The default well-behaved script: every request is answered by {@code responder}. */
    public static Script respond(Responder responder) {
        return (peer) -> {
            peer.handshake(DEFAULT_SETTINGS);
            peer.serve(responder);
        };
    }

    /** The default script answering every request with this status and body. */
    public static Script respond(int status, String body) {
        return respond((request) -> Response.of(status, body));
    }

    public int port() {
        return this.server.port();
    }

    /** {@code https://localhost:port} (or {@code http://}) plus {@code path}. */
    public URI uri(String path) {
        return URI.create((this.tls != null ? "https" : "http") + "://localhost:" + port() + path);
    }

    /** TCP connections accepted. */
    public int connectionsAccepted() {
        return this.server.connectionsAccepted();
    }

    /** TLS handshakes completed (0 for h2c). */
    public int tlsHandshakes() {
        return this.handshakes.get();
    }

    /** Requests the default script answered. */
    public int requestsServed() {
        return this.requests.get();
    }

    /** Every request the default script read, in arrival order. */
    public List<Request> requestLog() {
        synchronized (this.requestLog) {
            return new ArrayList<>(this.requestLog);
        }
    }

    @Override
    public void close() {
        this.server.close();
        for (Thread t : this.threads) {
            try {
                t.join(10_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "H2TestServer[" + this.server + ", " + this.handshakes + " TLS handshakes, " + this.requests
                + " requests]";
    }

    private void serve(Socket raw) throws IOException {
        this.threads.add(Thread.currentThread());
        Socket socket = raw;
        try {
            raw.setTcpNoDelay(true);
            if (this.tls != null) {
                SSLSocket ssl = (SSLSocket) this.tls.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                ssl.setUseClientMode(false);
                SSLParameters p = ssl.getSSLParameters();
                p.setApplicationProtocols(new String[] { "h2" });
                ssl.setSSLParameters(p);
                ssl.setSoTimeout(10_000);
                ssl.startHandshake();
                ssl.setSoTimeout(0);
                socket = this.server.track(ssl);
                this.handshakes.incrementAndGet();
            }
            this.script.run(new Peer(this, socket, this.connections.incrementAndGet()));
        }
        finally {
            if (socket != raw) {
                this.server.forget(socket);
            }
            this.threads.remove(Thread.currentThread());
        }
    }

    /**
     * One connection, from the server's side: frame reading and writing helpers (each write is flushed), its HPACK
     * state, and the steps of the default script. Not thread-safe: used by its connection's thread.
     */
    public static final class Peer {

        private static final byte[] PREFACE = FrameWriter.CLIENT_PREFACE;

        private final H2TestServer server;
        private final Socket socket;
        private final int connection;
        private final InputStream in;
        private final OutputStream out;
        private final FrameReader reader;
        private final FrameWriter writer;
        private final HpackEncoder encoder = new HpackEncoder(4096);
        private final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20, "test client");
        /** The client's flow-control windows for what this server sends: the connection's and each stream's. */
        private long connectionWindow = 65535;
        private int initialStreamWindow = 65535;
        private final Map<Integer, long[]> streamWindows = new HashMap<>();
        /** Responses whose DATA waits for window, in the order they were begun. */
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();

        Peer(H2TestServer server, Socket socket, int connection) throws IOException {
            this.server = server;
            this.socket = socket;
            this.connection = connection;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
            this.reader = new FrameReader(this.in, Setting.MIN_MAX_FRAME_SIZE, "test client");
            this.writer = new FrameWriter(this.out);
        }

        public Socket socket() {
            return this.socket;
        }

        /** 1-based index of this connection on its server. */
        public int connection() {
            return this.connection;
        }

        /** The ALPN protocol agreed ({@code h2}), or {@code null} for h2c. */
        public String applicationProtocol() {
            return this.socket instanceof SSLSocket ssl ? ssl.getApplicationProtocol() : null;
        }

        public HpackEncoder encoder() {
            return this.encoder;
        }

        public HpackDecoder decoder() {
            return this.decoder;
        }

        /** Reads the client preface's 24 magic octets; anything else fails. */
        public void readPreface() throws IOException {
            byte[] b = this.in.readNBytes(PREFACE.length);
            if (!Arrays.equals(b, PREFACE)) {
                throw new IOException("not an HTTP/2 client preface: " + b.length + " bytes");
            }
        }

        public Frame readFrame() throws IOException {
            return this.reader.read();
        }

        /** Reads frames until a whole field block, answering nothing; returns the block's first frame and fields. */
        public Block readBlock(Frame first) throws IOException {
            FieldBlock block = new FieldBlock(1 << 20, "test client");
            Frame f = first;
            while (!block.add(f)) {
                f = readFrame();
            }
            List<Header> fields = this.decoder.decode(block.array(), block.offset(), block.length(), f.streamId());
            return new Block(block.first(), fields);
        }

        /** A decoded field block and the HEADERS frame that began it. */
        public record Block(Frame headers, List<Header> fields) {
        }

        public Peer settings(List<Setting> settings) throws IOException {
            this.writer.settings(settings);
            return flush();
        }

        public Peer settingsAck() throws IOException {
            this.writer.settingsAck();
            return flush();
        }

        /** A HEADERS frame (and CONTINUATIONs) with the fields encoded by this connection's encoder. */
        public Peer headers(int streamId, List<Header> fields, boolean endStream) throws IOException {
            this.writer.headers(streamId, this.encoder.encode(fields), endStream);
            return flush();
        }

        /** DATA, split at the client's max frame size; flow control is the script's business here. */
        public Peer data(int streamId, byte[] data, boolean endStream) throws IOException {
            this.writer.data(streamId, data, 0, data.length, endStream);
            return flush();
        }

        public Peer goAway(int lastStreamId, ErrorCode code, String debug) throws IOException {
            this.writer.goAway(lastStreamId, code, debug != null ? debug.getBytes(StandardCharsets.UTF_8) : null);
            return flush();
        }

        public Peer rstStream(int streamId, ErrorCode code) throws IOException {
            this.writer.rstStream(streamId, code);
            return flush();
        }

        public Peer ping(long data) throws IOException {
            this.writer.ping(data);
            return flush();
        }

        public Peer pingAck(long data) throws IOException {
            this.writer.pingAck(data);
            return flush();
        }

        public Peer windowUpdate(int streamId, int increment) throws IOException {
            this.writer.windowUpdate(streamId, increment);
            return flush();
        }

        /** Any frame, unchecked (a negative stream id sets the reserved bit). */
        public Peer frame(int type, int flags, int streamId, byte[] payload) throws IOException {
            this.writer.frame(type, flags, streamId, payload, 0, payload.length);
            return flush();
        }

        /** Raw bytes, as they are. */
        public Peer raw(byte[] bytes) throws IOException {
            this.out.write(bytes);
            return flush();
        }

        /** Closes the connection at once (without GOAWAY). */
        public void close() throws IOException {
            this.socket.close();
        }

        private Peer flush() throws IOException {
            this.out.flush();
            return this;
        }

        /**
         * The default opening: reads the preface and the client's SETTINGS, sends {@code settings}, acknowledges the
         * client's (applying them).
         */
        public void handshake(List<Setting> settings) throws IOException {
            readPreface();
            Frame first = readFrame();
            if (first.type() != FrameType.SETTINGS || first.isAck()) {
                throw new IOException("the client preface is not followed by SETTINGS but " + first);
            }
            this.writer.settings(settings);
            apply(first);
            this.writer.settingsAck();
            flush();
        }

        /**
         * The default loop until the client goes away or sends GOAWAY: answers each request with {@code responder}
         * once its END_STREAM arrived, sends DATA as the client's windows allow, returns the window of DATA it reads,
         * acknowledges SETTINGS and PING.
         */
        public void serve(Responder responder) throws IOException {
            Map<Integer, List<Header>> heads = new HashMap<>();
            Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
            while (true) {
                Frame f = readFrame();
                switch (f.type()) {
                    case FrameType.HEADERS -> {
                        Block b = readBlock(f);
                        int id = f.streamId();
                        heads.put(id, b.fields());
                        bodies.put(id, new ByteArrayOutputStream());
                        this.streamWindows.put(id, new long[] { this.initialStreamWindow });
                        if (f.isEndStream()) {
                            answer(responder, id, heads.remove(id), bodies.remove(id));
                        }
                    }
                    case FrameType.DATA -> {
                        int id = f.streamId();
                        ByteArrayOutputStream body = bodies.get(id);
                        if (body != null) {
                            body.write(f.payload(), f.payloadOffset(), f.payloadLength());
                        }
                        if (f.length() > 0) {
                            this.writer.windowUpdate(0, f.length());
                            if (!f.isEndStream()) {
                                this.writer.windowUpdate(id, f.length());
                            }
                        }
                        if (f.isEndStream() && body != null) {
                            answer(responder, id, heads.remove(id), bodies.remove(id));
                        }
                        flush();
                    }
                    case FrameType.SETTINGS -> {
                        if (!f.isAck()) {
                            apply(f);
                            this.writer.settingsAck();
                            sendPending();
                            flush();
                        }
                    }
                    case FrameType.PING -> {
                        if (!f.isAck()) {
                            pingAck(f.pingData());
                        }
                    }
                    case FrameType.WINDOW_UPDATE -> {
                        int increment = f.windowIncrement();
                        if (f.streamId() == 0) {
                            this.connectionWindow += increment;
                        }
                        else {
                            long[] w = this.streamWindows.get(f.streamId());
                            if (w != null) {
                                w[0] += increment;
                            }
                        }
                        sendPending();
                        flush();
                    }
                    case FrameType.RST_STREAM -> {
                        heads.remove(f.streamId());
                        bodies.remove(f.streamId());
                        this.streamWindows.remove(f.streamId());
                        this.pending.removeIf((p) -> p.streamId == f.streamId());
                    }
                    case FrameType.GOAWAY -> {
                        return;
                    }
                    default -> {
                        // PRIORITY, unknown types: ignored.
                    }
                }
            }
        }

        private void apply(Frame settings) {
            for (Setting s : settings.settings()) {
                switch (s.id()) {
                    case Setting.INITIAL_WINDOW_SIZE -> {
                        long delta = s.value() - this.initialStreamWindow;
                        this.initialStreamWindow = (int) s.value();
                        for (long[] w : this.streamWindows.values()) {
                            w[0] += delta;
                        }
                    }
                    case Setting.MAX_FRAME_SIZE -> this.writer.setMaxFrameSize((int) s.value());
                    case Setting.HEADER_TABLE_SIZE -> this.encoder.setPeerMaxHeaderTableSize(s.value());
                    default -> {
                        // Others do not change what this server sends.
                    }
                }
            }
        }

        private void answer(Responder responder, int streamId, List<Header> fields, ByteArrayOutputStream body)
                throws IOException {
            Request request = new Request(this.connection, streamId, List.copyOf(fields), body.toByteArray());
            this.server.requestLog.add(request);
            Response response = responder.respond(request);
            List<Header> head = new ArrayList<>();
            head.add(new Header(":status", Integer.toString(response.status())));
            head.addAll(response.fields());
            head.add(new Header("content-length", Integer.toString(response.body().length)));
            this.writer.headers(streamId, this.encoder.encode(head), response.body().length == 0);
            this.server.requests.incrementAndGet();
            if (response.body().length == 0) {
                this.streamWindows.remove(streamId);
            }
            else {
                this.pending.add(new Pending(streamId, response.body()));
                sendPending();
            }
            flush();
        }

        /** Sends what the windows allow of the pending bodies, in order. */
        private void sendPending() throws IOException {
            for (var it = this.pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                long[] window = this.streamWindows.get(p.streamId);
                while (p.sent < p.body.length && this.connectionWindow > 0 && window != null && window[0] > 0) {
                    int n = (int) Math.min(Math.min(p.body.length - p.sent, this.writer.maxFrameSize()),
                            Math.min(this.connectionWindow, window[0]));
                    boolean last = p.sent + n == p.body.length;
                    this.writer.data(p.streamId, p.body, p.sent, n, last);
                    p.sent += n;
                    this.connectionWindow -= n;
                    window[0] -= n;
                }
                if (p.sent == p.body.length || window == null) {
                    it.remove();
                    this.streamWindows.remove(p.streamId);
                }
            }
        }

        /** A response body waiting for flow-control window. */
        private static final class Pending {

            final int streamId;
            final byte[] body;
            int sent;

            Pending(int streamId, byte[] body) {
                this.streamId = streamId;
                this.body = body;
            }
        }
    }
}
