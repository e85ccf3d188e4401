package dev.hotpool.http;

import dev.hotpool.CallTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.Header;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.HttpProxy;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.ProxyException;
import dev.hotpool.RequestBody;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.UnansweredRequestException;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.OutlierDetector;
import dev.hotpool.pool.Connection;
import dev.hotpool.pool.ConnectionProbe;
import dev.hotpool.pool.Engine;
import dev.hotpool.pool.Lease;
import dev.hotpool.pool.LeaseMode;
import dev.hotpool.tls.TlsConnector;
import dev.hotpool.tls.TlsSettings;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.hc.core5.http.impl.io.ChunkedOutputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthOutputStream;
import org.apache.hc.core5.util.CharArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests over pooled connections: one HTTP/1.1 exchange per {@link Lease}, redirects followed as the
 * request asks. It sees the pool only through the lease: its streams and facts, {@code release()} and
 * {@code discard(reason)}. Requests are written with httpcore5's classic codec; responses are read by hotpool's own
 * strict parser ({@link ResponseHeadParser}) and framing rules ({@link Framing}); keep-alive rules come from
 * {@link KeepAlive}. A connection whose exchange failed or was abandoned half-way, or whose response was not framed
 * exactly as RFC 9112 says, is never returned to the pool.
 *
 * <p>Thread-safe: per-connection state lives in each connection's {@link Http1Codec}.
 *
 * <p>Not API: public only because {@code HotPool}, in another package, builds it.
 */
public final class Http1Client {

    private static final Logger log = LoggerFactory.getLogger(Http1Client.class);

    /** At most this many interim (1xx) responses before the final one. */
    static final int MAX_INTERIM_RESPONSES = 32;

    /** Methods RFC 9110 §9.2.2 calls idempotent: safe to send twice. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private final HotPoolConfig config;
    private final Engine engine;
    private final PoolListener listener;
    private final OutlierDetector outliers;

    public Http1Client(HotPoolConfig config, Engine engine, PoolListener listener, OutlierDetector outliers) {
        this.config = config;
        this.engine = engine;
        this.listener = listener;
        this.outliers = outliers;
    }

    /** Sends the request, following redirects as it asks; the body of the returned response streams. */
    public HotResponse execute(HotRequest request) throws IOException {
        CallDeadline deadline = CallDeadline.start(request, this.config.callTimeout());
        HotRequest current = request;
        for (int redirects = 0; ; redirects++) {
            HotResponse response = send(current, deadline);
            HotRequest next = Redirects.next(current, response, redirects, this.config.maxRedirects());
            if (next == null) {
                return response;
            }
            response.close();
            current = next;
        }
    }

    /**
     * One request, retried on a new connection when a kept-alive connection turned out to be closed before
     * any response byte arrived and a retry is safe (idempotent method or {@code Idempotency-Key}, replayable
     * body, retries left). A request that could not be retried leases as {@link LeaseMode#NOT_RETRYABLE}: its
     * connection is checked for a close by the server after a shorter idle time, since it gets no second chance.
     *
     * @param deadline the call's, or {@code null} when it has no call timeout
     */
    private HotResponse send(HotRequest request, CallDeadline deadline) throws IOException {
        LeaseMode mode = retryRefusal(request, 0) == null ? LeaseMode.ANY : LeaseMode.NOT_RETRYABLE;
        for (int retries = 0; ; retries++) {
            try {
                HotResponse response = exchange(request, mode, deadline);
                this.listener.requestCompleted(request.origin(), true, retries > 0);
                return response;
            }
            catch (IOException | RuntimeException e) {
                if (!(e instanceof Unanswered unanswered)) {
                    this.listener.requestCompleted(request.origin(), false, retries > 0);
                    throw e;
                }
                String refusal = retryRefusal(request, retries);
                if (refusal != null) {
                    this.listener.requestCompleted(request.origin(), false, retries > 0);
                    throw new UnansweredRequestException("hotpool: " + request.origin() + " closed a reused "
                            + "connection after " + request + " was sent and before any response arrived; the "
                            + "server may or may not have processed it. Not retried: " + refusal,
                            unanswered.getCause());
                }
                if (log.isDebugEnabled()) {
                    log.debug("hotpool: retrying {} on a new connection: {}", request,
                            unanswered.getCause().toString());
                }
                mode = LeaseMode.NEW_CONNECTION;
            }
        }
    }

    /** Why the request must not be sent again, or {@code null} when it may. */
    private String retryRefusal(HotRequest request, int retriesSoFar) {
        if (!this.config.retryEnabled()) {
            return "retries are off (hotpool.retry.enabled=false)";
        }
        if (retriesSoFar >= this.config.maxRetries()) {
            return "retried " + retriesSoFar + " time(s) already (hotpool.retry.max-retries="
                    + this.config.maxRetries() + ")";
        }
        return notRetryable(request);
    }

    /** Why the request itself (its method and body, whatever the retry settings) must not be sent twice, or null. */
    private static String notRetryable(HotRequest request) {
        if (!IDEMPOTENT.contains(request.method()) && request.header("Idempotency-Key") == null) {
            return request.method() + " is not idempotent; send an Idempotency-Key header to allow a retry";
        }
        if (request.body() != null && !request.body().repeatable()) {
            return "its body cannot be replayed";
        }
        return null;
    }

    private HotResponse exchange(HotRequest request, LeaseMode mode, CallDeadline deadline) throws IOException {
        Origin origin = request.origin();
        TlsSettings tls = request.tls() != null ? request.tls() : this.config.tls();
        EffectiveHostSettings host = this.config.hostSettings(origin.host()); // Its timeouts when the request has none.
        int connectTimeout = millis(request.connectTimeout() != null ? request.connectTimeout()
                : host.connectTimeout());
        int readTimeout = millis(request.readTimeout() != null ? request.readTimeout() : host.readTimeout());
        String cookies = Cookies.header(request);
        boolean decode = this.config.compression() && request.header("Accept-Encoding") == null;
        Lease lease = lease(request, tls, mode, connectTimeout, readTimeout, deadline);
        Http1Codec codec = codec(lease);
        boolean reused = lease.reused();
        lease.beginExchange();
        ResponseHead head;
        boolean requestSaidClose;
        long received = codec.in.received();
        CallDeadline.Watch watch = deadline == null ? null : deadline.watch(lease);
        CallTimeoutException.Phase phase = CallTimeoutException.Phase.REQUEST;
        try {
            lease.soTimeout(readTimeout);
            requestSaidClose = writeRequest(request, codec, lease, cookies, decode);
            phase = CallTimeoutException.Phase.RESPONSE_HEAD;
            head = readHead(request, codec, lease, reused);
            if (watch != null && !watch.finish()) {
                throw new SocketTimeoutException("call timeout"); // Fired as the head came in: the socket is gone.
            }
        }
        catch (IOException | RuntimeException e) {
            if (watch != null && (watch.fired() || !watch.finish())) {
                lease.discard(CloseReason.ERROR); // Aborted by the call timeout: nothing about the server is known.
                throw deadline.ranOut(request, phase, e);
            }
            // A TLS 1.3 server that refuses the client certificate it got says so only after the handshake: its alert
            // arrives on the connection's first exchange.
            TlsHandshakeException rejected = lease.exchanges() == 1 && lease.profile() != null
                    ? TlsConnector.rejectedAfterHandshake(e, origin, lease.remote(), tls, lease.profile()) : null;
            boolean unanswered = rejected == null && reused && connectionLoss(e)
                    && codec.in.received() == received;
            if (!unanswered) {
                this.outliers.recordFailure(origin.authority(), lease.remote().getAddress(),
                        rejected != null ? OutlierDetector.Failure.TLS : OutlierDetector.Failure.IO);
            }
            lease.discard(unanswered ? CloseReason.STALE : CloseReason.ERROR);
            if (unanswered) {
                throw new Unanswered(e);
            }
            throw rejected != null ? rejected : exchangeFailure(request, reused, readTimeout, e);
        }
        if (head.code() == 407 && lease.proxy() != null && !origin.secure()) {
            lease.discard(CloseReason.ERROR); // The proxy's answer, not the origin's: not reused, not retried.
            throw new ProxyException("hotpool: the proxy " + lease.proxy() + " refused " + request + " (407"
                    + (head.reason().isEmpty() ? "" : " " + head.reason()) + "); "
                    + (lease.proxy().hasCredentials()
                    ? "it did not accept the credentials of hotpool.proxy.username"
                    : "it requires authentication: set hotpool.proxy.username and hotpool.proxy.password"),
                    lease.proxy().authority(), 407, null);
        }
        this.outliers.recordStatus(origin.authority(), lease.remote().getAddress(), head.code());
        Cookies.store(request, head);
        try {
            return respond(request, head, lease, codec, requestSaidClose, reused, decode);
        }
        catch (IOException | RuntimeException e) {
            lease.discard(CloseReason.ERROR);
            throw e;
        }
    }

    /**
     * Leases a connection for the request, its acquire and connect timeouts cut to what is left of the call
     * timeout, if any.
     *
     * @throws CallTimeoutException when the call timeout ran out before or while leasing
     */
    private Lease lease(HotRequest request, TlsSettings tls, LeaseMode mode, int connectTimeout, int readTimeout,
            CallDeadline deadline) throws IOException {
        if (deadline == null) {
            return this.engine.lease(request.origin(), tls, request.addressFilter(), mode,
                    this.config.acquireTimeout(), connectTimeout, readTimeout);
        }
        deadline.check(request, CallTimeoutException.Phase.ACQUIRE);
        try {
            return this.engine.lease(request.origin(), tls, request.addressFilter(), mode,
                    deadline.cut(this.config.acquireTimeout()), deadline.cut(connectTimeout), readTimeout);
        }
        catch (IOException e) {
            if (deadline.expired() && !(e instanceof CallTimeoutException)) {
                throw deadline.ranOut(request, CallDeadline.phaseOf(e), e);
            }
            throw e;
        }
    }

    /**
     * Writes the head and body; returns whether the request asked to close the connection.
     *
     * @param cookies the cookie store's {@code Cookie} value for the request, joined to the request's own
     *     {@code Cookie} header or sent as one; {@code null}: none
     * @param askEncoded whether to ask for gzip or deflate ({@code hotpool.compression.enabled})
     */
    private boolean writeRequest(HotRequest request, Http1Codec codec, Connection connection, String cookies,
            boolean askEncoded) throws IOException {
        RequestBody body = request.body();
        long length = body == null ? 0 : body.contentLength();
        boolean hasHost = false;
        boolean hasConnection = false;
        boolean saidClose = false;
        CharArrayBuffer line = codec.line;
        line.clear();
        OutputStream out = connection.out();
        // Through a proxy, plain http goes in absolute form to the proxy (https is tunnelled: origin form).
        HttpProxy proxy = request.origin().secure() ? null : connection.proxy();

        line.append(request.method());
        line.append(' ');
        if (proxy != null) {
            line.append(request.origin().toString());
        }
        line.append(request.target());
        line.append(" HTTP/1.1");
        codec.out.writeLine(line, out);
        for (Header h : request.headers()) {
            if (h.is("Host")) {
                hasHost = true;
            }
        }
        if (!hasHost) {
            writeHeader(codec, line, out, "Host", request.origin().hostHeader());
        }
        for (Header h : request.headers()) {
            if (h.is("Content-Length") || h.is("Transfer-Encoding")) {
                continue; // Framing is ours: derived from the body below.
            }
            if (h.is("Connection")) {
                hasConnection = true;
                saidClose |= KeepAlive.saysClose(h.value());
            }
            if (cookies != null && h.is("Cookie")) {
                writeHeader(codec, line, out, h.name(), h.value() + "; " + cookies);
                cookies = null; // One Cookie header (RFC 6265 §5.4).
                continue;
            }
            writeHeader(codec, line, out, h.name(), h.value());
        }
        if (cookies != null) {
            writeHeader(codec, line, out, "Cookie", cookies);
        }
        if (proxy != null && proxy.hasCredentials() && request.header("Proxy-Authorization") == null) {
            writeHeader(codec, line, out, "Proxy-Authorization", proxy.proxyAuthorization());
        }
        if (askEncoded) {
            writeHeader(codec, line, out, "Accept-Encoding", "gzip, x-gzip, deflate");
        }
        if (!hasConnection) {
            writeHeader(codec, line, out, "Connection", "keep-alive");
        }
        if (body == null) {
            if (bodyExpected(request.method())) {
                writeHeader(codec, line, out, "Content-Length", "0");
            }
        }
        else if (length >= 0) {
            writeHeader(codec, line, out, "Content-Length", Long.toString(length));
        }
        else {
            writeHeader(codec, line, out, "Transfer-Encoding", "chunked");
        }
        line.clear();
        codec.out.writeLine(line, out);

        if (body != null) {
            if (length >= 0) {
                CountingStream counted = new CountingStream(new ContentLengthOutputStream(codec.out, out, length));
                body.writeTo(counted);
                counted.out.close();
                if (counted.count != length) {
                    throw new IllegalStateException("hotpool: the request body to " + request.origin() + " was "
                            + counted.count + " bytes, but its Content-Length is " + length);
                }
            }
            else {
                ChunkedOutputStream chunked = new ChunkedOutputStream(codec.out, out, Http1Codec.BUFFER_SIZE);
                body.writeTo(chunked);
                chunked.close();
            }
        }
        codec.out.flush(out);
        out.flush();
        return saidClose;
    }

    private static void writeHeader(Http1Codec codec, CharArrayBuffer line, OutputStream out, String name,
            String value) throws IOException {
        line.clear();
        line.append(name);
        line.append(": ");
        line.append(value);
        codec.out.writeLine(line, out);
    }

    private static boolean bodyExpected(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /**
     * Reads the response head, skipping interim 1xx responses (at most {@link #MAX_INTERIM_RESPONSES}). An interim
     * response read leniently, or with a body length it must not have, makes the final one lenient too: the connection
     * is not reused after the exchange.
     */
    private ResponseHead readHead(HotRequest request, Http1Codec codec, Connection connection, boolean reused)
            throws IOException {
        String lenient = null;
        for (int interim = 0; ; interim++) {
            ResponseHead head = codec.parser.parse(codec.in, request.origin());
            if (head == null) {
                if (interim > 0) {
                    throw new MalformedResponseException("hotpool: malformed response from " + request.origin()
                            + ": the connection closed after an interim (1xx) response, before the final one", null);
                }
                throw new NoResponseException("hotpool: " + request.origin() + " closed the connection without answering "
                        + request + (reused ? " (a reused connection that had served " + (connection.exchanges() - 1)
                        + " requests)" : ""));
            }
            int code = head.code();
            if (code >= 200 || code == 101) {
                return lenient == null ? head : head.lenient(lenient);
            }
            if (interim == MAX_INTERIM_RESPONSES) {
                throw new MalformedResponseException("hotpool: malformed response from " + request.origin()
                        + ": more than " + MAX_INTERIM_RESPONSES + " interim (1xx) responses", null);
            }
            if (lenient == null) {
                lenient = head.lenient() != null ? head.lenient()
                        : head.has(ResponseHead.CONTENT_LENGTH) || head.has(ResponseHead.TRANSFER_ENCODING)
                        ? "a body length on a " + code + " response, which has no body" : null;
            }
        }
    }

    private HotResponse respond(HotRequest request, ResponseHead head, Lease lease, Http1Codec codec,
            boolean requestSaidClose, boolean reused, boolean decode) throws IOException {
        lease.keepAliveHint(KeepAlive.idleHintMillis(head));
        Framing framing = framing(request, head, codec, requestSaidClose);
        ResponseBody body = new ResponseBody(lease, codec, framing.stream(), framing.reusable(),
                framing.lenient() != null ? CloseReason.ERROR : CloseReason.SERVER_CLOSED, this.config.drainLimit(),
                this.config.drainTimeout().toMillis(), this.outliers, framing.length());
        if (framing.lenient() != null && log.isDebugEnabled()) {
            log.debug("hotpool: the response from {} to {} was read leniently ({}); its connection is closed after it",
                    request.origin(), request, framing.lenient());
        }
        if (framing.empty()) {
            body.end();
        }
        else {
            body.reclaimWhenUnreachable();
        }
        List<Header> fields = head.fields();
        InputStream stream = body;
        String coding = (decode && !framing.empty()) ? Framing.contentCoding(head) : null;
        if (coding != null) {
            stream = new DecodedBody(body, coding, request.origin());
            fields = without(fields, "Content-Encoding", "Content-Length"); // As HttpClient 5 gives a decoded body.
        }
        return new Http1Response(head.code(), head.reason(), head.protocol(), fields, stream, reused);
    }

    private Framing framing(HotRequest request, ResponseHead head, Http1Codec codec, boolean requestSaidClose)
            throws MalformedResponseException {
        return Framing.of(request.method().equals("HEAD"), head, codec.in, request.origin(), requestSaidClose, null,
                this.config.maxResponseLineLength(), this.config.maxResponseHeaderCount(),
                this.config.maxResponseHeadSize());
    }

    private static List<Header> without(List<Header> fields, String first, String second) {
        List<Header> kept = new ArrayList<>(fields.size());
        for (Header h : fields) {
            if (!h.is(first) && !h.is(second)) {
                kept.add(h);
            }
        }
        return kept;
    }

    /**
     * Sends the health-check probe request on an idle connection and reads the whole answer: 2xx or 3xx on a
     * connection that stays reusable keeps it. Never used on a leased connection.
     */
    public ConnectionProbe.Outcome probe(Connection connection) {
        Origin origin = connection.origin();
        EffectiveHostSettings host = this.config.hostSettings(origin.host());
        String path = host.probePath(); // The host's own, else the pool's.
        if (path == null) {
            return ConnectionProbe.LIVENESS.check(connection);
        }
        HotRequest request = HotRequest.builder(this.config.healthCheckProbeMethod(), URI.create(origin + path))
                .header("User-Agent", "hotpool-health-check")
                .build();
        Http1Codec codec = codec(connection);
        connection.beginExchange();
        long received = codec.in.received();
        try {
            connection.soTimeout(millis(this.config.healthCheckTimeout()));
            boolean saidClose = writeRequest(request, codec, connection, null, false);
            ResponseHead head = readHead(request, codec, connection, true);
            Framing framing = framing(request, head, codec, saidClose);
            long left = this.config.drainLimit();
            byte[] scratch = new byte[4096];
            int n;
            while (!framing.empty() && (n = framing.stream().read(scratch)) >= 0) {
                left -= n;
                if (left < 0) {
                    return ConnectionProbe.Outcome.UNHEALTHY; // A probe answer should be small.
                }
            }
            connection.soTimeout(millis(host.readTimeout()));
            int code = head.code();
            boolean good = code >= 200 && code < 400;
            if (!good && log.isDebugEnabled()) {
                log.debug("hotpool: probe {} answered {}", request, code);
            }
            return good && framing.reusable() && !codec.in.hasBufferedData()
                    ? ConnectionProbe.Outcome.HEALTHY : ConnectionProbe.Outcome.UNHEALTHY;
        }
        catch (IOException | RuntimeException e) {
            boolean lost = connectionLoss(e) && codec.in.received() == received;
            return lost ? ConnectionProbe.Outcome.DEAD : ConnectionProbe.Outcome.UNHEALTHY;
        }
    }

    private Http1Codec codec(Connection connection) {
        Http1Codec codec = (Http1Codec) connection.attachment();
        if (codec == null) {
            codec = new Http1Codec(this.config, connection.in());
            connection.attach(codec);
        }
        return codec;
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** The exception for a failure before the response head was complete; names the origin. */
    private static IOException exchangeFailure(HotRequest request, boolean reused, int readTimeout, Exception e) {
        Origin origin = request.origin();
        if (e instanceof HotPoolException hp) {
            return hp;
        }
        if (e instanceof IllegalStateException ise && ise.getMessage() != null
                && ise.getMessage().startsWith("hotpool:")) {
            return new HotPoolException(ise.getMessage(), ise);
        }
        if (e instanceof SocketTimeoutException) {
            return new HotPoolException("hotpool: no response from " + origin + " to " + request + " within "
                    + readTimeout + " ms (read timeout)", e);
        }
        return new HotPoolException("hotpool: exchange with " + origin + " failed" + (reused
                ? " on a reused connection" : "") + ": " + e, e);
    }

    /** The exception for a failure while reading a body; names the origin. */
    static IOException bodyFailure(Origin origin, Exception e) {
        if (e instanceof HotPoolException hp) {
            return hp;
        }
        if (e instanceof SocketTimeoutException) {
            return new HotPoolException("hotpool: the response body from " + origin + " stalled: " + e.getMessage(), e);
        }
        return new HotPoolException("hotpool: reading the response body from " + origin + " failed: "
                + e.getMessage(), e);
    }

    /** Whether a failure looks like the server having dropped the connection (not slowness, not garbage). */
    private static boolean connectionLoss(Exception e) {
        return e instanceof IOException && !(e instanceof InterruptedIOException)
                && !(e instanceof MalformedResponseException)
                && (!(e instanceof HotPoolException) || e instanceof NoResponseException);
    }

    /** The server closed the connection instead of sending a response head. */
    private static final class NoResponseException extends HotPoolException {

        private static final long serialVersionUID = 1L;

        NoResponseException(String message) {
            super(message);
        }
    }

    /** Internal signal: a reused connection was lost before any response byte; the cause says how. */
    private static final class Unanswered extends IOException {

        private static final long serialVersionUID = 1L;

        Unanswered(Exception cause) {
            super(cause);
        }
    }

    /** Counts the bytes a body writes, so a body that disagrees with its length is caught. */
    private static final class CountingStream extends FilterOutputStream {

        final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            super(out);
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            this.out.write(b);
            this.count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            this.out.write(b, off, len);
            this.count += len;
        }

        @Override
        public void close() {
            // The body must not close the connection's stream; the exchange finishes it.
        }
    }
}
