package dev.hotpool.internal.http;

import dev.hotpool.CallTimeoutException;
import dev.hotpool.Header;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;
import dev.hotpool.RequestBody;
import dev.hotpool.internal.http2.ConnectionLostException;
import dev.hotpool.internal.http2.Http2Connection;
import dev.hotpool.internal.http2.Http2Stream;
import dev.hotpool.internal.http2.ResponseFields;
import dev.hotpool.internal.http2.StreamRefusedException;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.internal.pool.Lease;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One request over a stream of an HTTP/2 connection (RFC 9113 §8): the request's fields (pseudo-header fields in the
 * order the connection's options say, names in lower case, no connection-specific field), its body as DATA within the
 * flow-control windows, the response head checked as strictly as the HTTP/1.1 side's, and a body that gives the
 * stream's lease back by itself.
 *
 * <p>What fails a stream fails only its request: the lease goes back and the connection goes on. A stream the server
 * did not process (REFUSED_STREAM, above a GOAWAY's last stream id) is reported to {@link Http1Client} as unanswered
 * and not processed, so it may be sent again whatever its method; one lost with its connection before anything came
 * for it is unanswered, as on HTTP/1.1.
 *
 * <p>Thread-safe: stateless beyond its settings.
 */
final class Http2Exchange {

    /** Fields that are not HTTP/2's to carry (RFC 9113 §8.2.2), or that it carries otherwise (Host, framing). */
    private static final Set<String> NOT_SENT = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "host", "content-length");

    private final HotPoolConfig config;
    private final OutlierDetector outliers;

    Http2Exchange(HotPoolConfig config, OutlierDetector outliers) {
        this.config = config;
        this.outliers = outliers;
    }

    /**
     * Sends the request on a new stream of the lease's connection and returns the response; its body streams.
     *
     * @throws Http1Client.Unanswered when the request may be sent again (see the class comment)
     */
    HotResponse exchange(HotRequest request, Lease lease, int readTimeout, String cookies, boolean decode,
            CallDeadline deadline) throws IOException {
        Http2Connection connection = (Http2Connection) lease.multiplex();
        Origin origin = request.origin();
        boolean reused = lease.reused();
        RequestBody body = request.body();
        Http2Stream stream;
        try {
            stream = connection.newStream(fields(request, cookies, decode, connection.options().pseudoHeaderOrder()),
                    body == null, request.method().equals("HEAD"));
        }
        catch (IOException | RuntimeException e) {
            lease.release();
            if (e instanceof StreamRefusedException || (e instanceof ConnectionLostException && reused)) {
                throw new Http1Client.Unanswered(e, e instanceof StreamRefusedException);
            }
            throw failure(request, reused, readTimeout, e);
        }
        lease.attach((Runnable) stream::cancel); // What the call timeout's abort does: this stream only.
        CallDeadline.Watch watch = deadline == null ? null : deadline.watch(lease);
        CallTimeoutException.Phase phase = CallTimeoutException.Phase.REQUEST;
        ResponseFields.Head head;
        try {
            if (body != null) {
                writeBody(request, body, stream, readTimeout);
            }
            phase = CallTimeoutException.Phase.RESPONSE_HEAD;
            head = stream.awaitHead(readTimeout);
            if (watch != null && !watch.finish()) {
                throw new SocketTimeoutException("call timeout");
            }
        }
        catch (IOException | RuntimeException e) {
            stream.cancel();
            lease.release();
            if (watch != null && (watch.fired() || !watch.finish())) {
                throw deadline.ranOut(request, phase, e);
            }
            if (e instanceof StreamRefusedException) {
                throw new Http1Client.Unanswered(e, true);
            }
            if (e instanceof ConnectionLostException && reused && stream.unanswered()) {
                throw new Http1Client.Unanswered(e, false);
            }
            if (!(e instanceof MalformedResponseException)) {
                this.outliers.recordFailure(origin.authority(), lease.remote().getAddress(),
                        OutlierDetector.Failure.IO);
            }
            throw failure(request, reused, readTimeout, e);
        }
        this.outliers.recordStatus(origin.authority(), lease.remote().getAddress(), head.status());
        Cookies.store(request, head.fields());
        Http2Body stream2 = new Http2Body(stream, lease, origin, readTimeout);
        List<Header> fields = head.fields();
        InputStream in = stream2;
        boolean bodiless = request.method().equals("HEAD") || head.status() == 204 || head.status() == 304;
        String coding = decode && !bodiless ? contentCoding(fields) : null;
        if (coding != null) {
            in = new DecodedBody(stream2, coding, origin);
            fields = without(fields, "content-encoding", "content-length");
        }
        else {
            stream2.endIfComplete(); // Nothing to read (no content, or all of it came with the head): the lease goes back.
        }
        return new Http1Response(head.status(), "", "HTTP/2.0", fields, in, reused);
    }

    /** The request's field section: pseudo-header fields first, in the configured order, then its own fields. */
    private static List<Header> fields(HotRequest request, String cookies, boolean decode, String order) {
        Origin origin = request.origin();
        String authority = origin.hostHeader();
        List<Header> own = new ArrayList<>(request.headers().size() + 4);
        for (Header h : request.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (name.equals("host")) {
                authority = h.value();
                continue;
            }
            if (NOT_SENT.contains(name) || (name.equals("te") && !h.value().trim().equalsIgnoreCase("trailers"))) {
                continue;
            }
            if (cookies != null && name.equals("cookie")) {
                own.add(new Header(name, h.value() + "; " + cookies));
                cookies = null;
                continue;
            }
            own.add(new Header(name, h.value()));
        }
        if (cookies != null) {
            own.add(new Header("cookie", cookies));
        }
        if (decode) {
            own.add(new Header("accept-encoding", "gzip, x-gzip, deflate"));
        }
        RequestBody body = request.body();
        if (body != null && body.contentLength() >= 0) {
            own.add(new Header("content-length", Long.toString(body.contentLength())));
        }
        else if (body == null && bodyExpected(request.method())) {
            own.add(new Header("content-length", "0"));
        }
        List<Header> fields = new ArrayList<>(own.size() + 4);
        for (int i = 0; i < order.length(); i++) {
            switch (order.charAt(i)) {
                case 'm' -> fields.add(new Header(":method", request.method()));
                case 'a' -> fields.add(new Header(":authority", authority));
                case 's' -> fields.add(new Header(":scheme", origin.scheme()));
                case 'p' -> fields.add(new Header(":path", request.target()));
                default -> throw new IllegalStateException("hotpool: unknown pseudo-header letter in " + order);
            }
        }
        fields.addAll(own);
        return fields;
    }

    private static boolean bodyExpected(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** Writes the body as DATA; its length must be what it said. */
    private static void writeBody(HotRequest request, RequestBody body, Http2Stream stream, int timeoutMillis)
            throws IOException {
        long declared = body.contentLength();
        long[] count = new long[1];
        OutputStream out = new OutputStream() {

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                count[0] += len;
                if (declared >= 0 && count[0] > declared) {
                    throw new IllegalStateException("hotpool: the request body to " + request.origin() + " is longer "
                            + "than its Content-Length " + declared);
                }
                stream.write(b, off, len, timeoutMillis);
            }
        };
        body.writeTo(out);
        if (declared >= 0 && count[0] != declared) {
            throw new IllegalStateException("hotpool: the request body to " + request.origin() + " was " + count[0]
                    + " bytes, but its Content-Length is " + declared);
        }
        stream.endRequest(timeoutMillis);
    }

    private static String contentCoding(List<Header> fields) {
        String coding = null;
        for (Header h : fields) {
            if (h.name().equals("content-encoding")) {
                if (coding != null) {
                    return null; // Several codings: not decoded.
                }
                coding = h.value().trim().toLowerCase(Locale.ROOT);
            }
        }
        return coding != null && DecodedBody.decodes(coding) ? coding : null;
    }

    private static List<Header> without(List<Header> fields, String first, String second) {
        List<Header> kept = new ArrayList<>(fields.size());
        for (Header h : fields) {
            if (!h.name().equals(first) && !h.name().equals(second)) {
                kept.add(h);
            }
        }
        return kept;
    }

    /** The exception for a failure before the response head; names the origin. */
    private static IOException failure(HotRequest request, boolean reused, int readTimeout, Exception e) {
        if (e instanceof HotPoolException hp) {
            return hp;
        }
        if (e instanceof SocketTimeoutException) {
            return new HotPoolException(e.getMessage() != null && e.getMessage().startsWith("hotpool:")
                    ? e.getMessage() : "hotpool: no response from " + request.origin() + " to " + request
                    + " within " + readTimeout + " ms (read timeout)", e);
        }
        if (e instanceof IllegalStateException ise && ise.getMessage() != null
                && ise.getMessage().startsWith("hotpool:")) {
            return new HotPoolException(ise.getMessage(), ise);
        }
        return new HotPoolException("hotpool: HTTP/2 exchange with " + request.origin() + " failed"
                + (reused ? " on a reused connection" : "") + ": " + e, e);
    }
}
