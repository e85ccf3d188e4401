package dev.hotpool.testsupport;

import dev.hotpool.Header;
import dev.hotpool.internal.http2.Frame;
import dev.hotpool.internal.http2.FrameType;
import dev.hotpool.internal.http2.Setting;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An h2c server of {@link H2ResponseShape}s on loopback (an {@link H2TestServer} with a script of its own):
 * {@code /seq/ID} answers with the shape served under ID, any other path {@code 200 after}. It keeps the client's
 * flow-control windows strictly: a response waits for WINDOW_UPDATEs, so a client that does not give back what it read
 * or discarded stalls. A response the client resets (RST_STREAM) is given up. It notes what breaks its expectations
 * (a request arriving while a response waits for window, a frame on a stream it does not know) for the test to check.
 *
 * <p>Thread-safe: each connection's script runs on its own thread; the test adds and forgets shapes meanwhile.
 */
public final class H2ShapeServer implements AutoCloseable {

    /** The shapes served, by id. An entry leaves with {@link #forget}. */
    private final Map<String, H2ResponseShape> shapes = new ConcurrentHashMap<>();

    /** What went against this server's expectations. */
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    private final H2TestServer server;

    public H2ShapeServer() throws IOException {
        this.server = H2TestServer.h2c(this::run);
    }

    /** Serves {@code shape} under {@code id}; returns its address. */
    public URI serve(String id, H2ResponseShape shape) {
        this.shapes.put(id, shape);
        return this.server.uri("/seq/" + id);
    }

    /** The address answered {@code after}. */
    public URI after() {
        return this.server.uri("/after");
    }

    public void forget(String id) {
        this.shapes.remove(id);
    }

    public int connectionsAccepted() {
        return this.server.connectionsAccepted();
    }

    /** What went against the server's expectations so far. */
    public List<String> problems() {
        synchronized (this.problems) {
            return new ArrayList<>(this.problems);
        }
    }

    @Override
    public void close() {
        this.server.close();
    }

    private void run(H2TestServer.Peer peer) throws IOException {
        new Connection(peer).run();
    }

    /** A request read while a response waited for window. */
    private record Request(int id, List<Header> fields) {
    }

    /** One connection's state, on its thread. */
    private final class Connection {

        private final H2TestServer.Peer peer;
        private long connectionWindow = 65_535;
        private long initialStreamWindow = 65_535;
        /** Send windows of the streams this server may still send on. */
        private final Map<Integer, long[]> windows = new HashMap<>();
        /** Requests that came while a response waited for window, answered after it. */
        private final ArrayDeque<Request> waiting = new ArrayDeque<>();

        Connection(H2TestServer.Peer peer) {
            this.peer = peer;
        }

        void run() throws IOException {
            this.peer.readPreface();
            Frame settings = this.peer.readFrame();
            apply(settings);
            this.peer.settings(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 100)));
            this.peer.settingsAck();
            while (true) {
                Request queued = this.waiting.poll();
                if (queued != null) {
                    answer(queued.id(), queued.fields());
                    continue;
                }
                Frame f = this.peer.readFrame();
                if (f.type() == FrameType.HEADERS) {
                    H2TestServer.Peer.Block block = this.peer.readBlock(f);
                    answer(f.streamId(), block.fields());
                }
                else if (!control(f)) {
                    return;
                }
            }
        }

        /** Handles a frame that is not a request; false at GOAWAY. */
        private boolean control(Frame f) throws IOException {
            switch (f.type()) {
                case FrameType.SETTINGS -> {
                    if (!f.isAck()) {
                        apply(f);
                        this.peer.settingsAck();
                    }
                }
                case FrameType.PING -> {
                    if (!f.isAck()) {
                        this.peer.pingAck(f.pingData());
                    }
                }
                case FrameType.WINDOW_UPDATE -> {
                    int increment = f.windowIncrement();
                    if (f.streamId() == 0) {
                        this.connectionWindow += increment;
                    }
                    else {
                        long[] w = this.windows.get(f.streamId());
                        if (w != null) {
                            w[0] += increment;
                        }
                    }
                }
                case FrameType.RST_STREAM -> this.windows.remove(f.streamId());
                case FrameType.GOAWAY -> {
                    return false;
                }
                case FrameType.DATA -> H2ShapeServer.this.problems.add("a request body on stream " + f.streamId());
                default -> {
                }
            }
            return true;
        }

        private void apply(Frame settings) {
            for (Setting s : settings.settings()) {
                if (s.id() == Setting.INITIAL_WINDOW_SIZE) {
                    long delta = s.value() - this.initialStreamWindow;
                    this.initialStreamWindow = s.value();
                    for (long[] w : this.windows.values()) {
                        w[0] += delta;
                    }
                }
            }
        }

        private void answer(int id, List<Header> request) throws IOException {
            String path = field(request, ":path");
            H2ResponseShape shape = path != null && path.startsWith("/seq/")
                    ? H2ShapeServer.this.shapes.get(path.substring(5)) : null;
            if (shape == null) {
                byte[] after = "after".getBytes(StandardCharsets.US_ASCII);
                this.peer.headers(id, List.of(new Header(":status", "200"), new Header("content-length", "5")), false);
                this.windows.put(id, new long[] {this.initialStreamWindow});
                sendData(id, after, 0, after.length, -1, true);
                this.windows.remove(id);
                return;
            }
            if (!shape.method().equals(field(request, ":method"))) {
                H2ShapeServer.this.problems.add(field(request, ":method") + " for a " + shape);
            }
            this.windows.put(id, new long[] {this.initialStreamWindow});
            if (shape.interim()) {
                this.peer.headers(id, List.of(new Header(":status", "103"), new Header("link", "</a>")), false);
            }
            List<H2ResponseShape.Piece> pieces = shape.pieces();
            boolean endOnHead = pieces.isEmpty() && !shape.endsApart();
            this.peer.headers(id, shape.head(), endOnHead);
            if (endOnHead) {
                this.windows.remove(id);
                return;
            }
            byte[] payload = shape.payload();
            int at = 0;
            for (int i = 0; i < pieces.size(); i++) {
                H2ResponseShape.Piece p = pieces.get(i);
                boolean last = i == pieces.size() - 1 && !shape.endsApart();
                if (!sendData(id, payload, at, p.length(), p.padding(), last)) {
                    return; // Reset by the client.
                }
                at += p.length();
            }
            if (shape.trailers()) {
                this.peer.headers(id, List.of(new Header("x-length", Integer.toString(payload.length))), true);
            }
            else if (shape.endsApart()) {
                sendData(id, payload, at, 0, -1, true);
            }
            this.windows.remove(id);
        }

        /** Sends one DATA frame once the windows take it; false when the client reset the stream meanwhile. */
        private boolean sendData(int id, byte[] b, int off, int n, int padding, boolean end) throws IOException {
            int flowed = n + (padding >= 0 ? padding + 1 : 0);
            while (true) {
                long[] w = this.windows.get(id);
                if (w == null) {
                    return false;
                }
                if (flowed == 0 || (w[0] >= flowed && this.connectionWindow >= flowed)) {
                    w[0] -= flowed;
                    this.connectionWindow -= flowed;
                    break;
                }
                Frame f = this.peer.readFrame(); // Waits for a WINDOW_UPDATE (or a reset).
                if (f.type() == FrameType.HEADERS) {
                    H2ShapeServer.this.problems.add("a request on stream " + f.streamId() + " while stream " + id
                            + " waited for window");
                    this.waiting.add(new Request(f.streamId(), this.peer.readBlock(f).fields()));
                }
                else if (!control(f)) {
                    throw new IOException("GOAWAY while stream " + id + " waited for window");
                }
            }
            if (padding < 0) {
                this.peer.frame(FrameType.DATA, end ? Frame.FLAG_END_STREAM : 0, id,
                        java.util.Arrays.copyOfRange(b, off, off + n));
            }
            else {
                byte[] payload = new byte[1 + n + padding];
                payload[0] = (byte) padding;
                System.arraycopy(b, off, payload, 1, n);
                this.peer.frame(FrameType.DATA, Frame.FLAG_PADDED | (end ? Frame.FLAG_END_STREAM : 0), id, payload);
            }
            return true;
        }

        private String field(List<Header> fields, String name) {
            for (Header h : fields) {
                if (h.name().equals(name)) {
                    return h.value();
                }
            }
            return null;
        }
    }
}
