package dev.hotpool.internal.http;

import dev.hotpool.CallTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.Header;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.ProxyException;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.UnansweredRequestException;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.internal.pool.Engine;
import dev.hotpool.internal.pool.Lease;
import dev.hotpool.internal.pool.LeaseMode;
import dev.hotpool.internal.tls.TlsConnector;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
 * <p>Built by the pool's assembly ({@code dev.hotpool.internal.PoolAssembly}) over its engine.
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
    private final Http1Wire wire;
    private final Http2Exchange http2;

    public Http1Client(HotPoolConfig config, Engine engine, PoolListener listener, OutlierDetector outliers) {
        this.config = config;
        this.engine = engine;
        this.listener = listener;
        this.outliers = outliers;
        this.wire = new Http1Wire(config);
        this.http2 = new Http2Exchange(config, outliers);
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
                String refusal = unanswered.notProcessed ? resendRefusal(request, retries)
                        : retryRefusal(request, retries);
                if (refusal != null) {
                    this.listener.requestCompleted(request.origin(), false, retries > 0);
                    if (unanswered.notProcessed) {
                        throw new UnansweredRequestException(unanswered.getCause().getMessage() + ". Not sent again: "
                                + refusal, unanswered.getCause());
                    }
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

    /**
     * Why a request the server did not process must not be sent again, or {@code null} when it may: its method does
     * not matter (RFC 9113 §8.7), its body must be replayable, and the retry settings apply.
     */
    private String resendRefusal(HotRequest request, int retriesSoFar) {
        if (!this.config.retryEnabled()) {
            return "retries are off (hotpool.retry.enabled=false)";
        }
        if (retriesSoFar >= this.config.maxRetries()) {
            return "retried " + retriesSoFar + " time(s) already (hotpool.retry.max-retries="
                    + this.config.maxRetries() + ")";
        }
        return request.body() != null && !request.body().repeatable() ? "its body cannot be replayed" : null;
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
        int connectTimeout = Http1Wire.millis(request.connectTimeout() != null ? request.connectTimeout()
                : host.connectTimeout());
        int readTimeout = Http1Wire.millis(request.readTimeout() != null ? request.readTimeout() : host.readTimeout());
        String cookies = Cookies.header(request);
        boolean decode = this.config.compression() && request.header("Accept-Encoding") == null;
        Lease lease = lease(request, tls, mode, connectTimeout, readTimeout, deadline);
        if (lease.multiplex() != null) {
            return this.http2.exchange(request, lease, readTimeout, cookies, decode, deadline);
        }
        Http1Codec codec = this.wire.codec(lease);
        boolean reused = lease.reused();
        lease.beginExchange();
        ResponseHead head;
        boolean requestSaidClose;
        long received = codec.in.received();
        CallDeadline.Watch watch = deadline == null ? null : deadline.watch(lease);
        CallTimeoutException.Phase phase = CallTimeoutException.Phase.REQUEST;
        try {
            lease.soTimeout(readTimeout);
            requestSaidClose = this.wire.writeRequest(request, codec, lease, cookies, decode);
            phase = CallTimeoutException.Phase.RESPONSE_HEAD;
            head = this.wire.readHead(request, codec, lease, reused);
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
            boolean unanswered = rejected == null && reused && Http1Wire.connectionLoss(e)
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

    private HotResponse respond(HotRequest request, ResponseHead head, Lease lease, Http1Codec codec,
            boolean requestSaidClose, boolean reused, boolean decode) throws IOException {
        lease.keepAliveHint(KeepAlive.idleHintMillis(head));
        Framing framing = this.wire.framing(request, head, codec, requestSaidClose);
        ResponseBody body = new ResponseBody(lease, codec, framing.stream(), framing.reusable(),
                framing.lenient() != null ? CloseReason.ERROR : CloseReason.SERVER_CLOSED, this.config.drainLimit(),
                this.config.drainTimeout().toMillis(), this.outliers);
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

    private static List<Header> without(List<Header> fields, String first, String second) {
        List<Header> kept = new ArrayList<>(fields.size());
        for (Header h : fields) {
            if (!h.is(first) && !h.is(second)) {
                kept.add(h);
            }
        }
        return kept;
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

    /**
     * Internal signal: a reused connection was lost before any response byte, or (HTTP/2) the server did not process
     * the request at all; the cause says how.
     */
    static final class Unanswered extends IOException {

        private static final long serialVersionUID = 1L;

        /** Whether the server said it did not process the request: it may be sent again whatever its method. */
        final boolean notProcessed;

        Unanswered(Exception cause) {
            this(cause, false);
        }

        Unanswered(Exception cause, boolean notProcessed) {
            super(cause);
            this.notProcessed = notProcessed;
        }
    }


}
