package dev.hotpool.internal.http;

import dev.hotpool.Header;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HotRequest;
import dev.hotpool.HttpProxy;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.RequestBody;
import dev.hotpool.internal.pool.Connection;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

import org.apache.hc.core5.http.impl.io.ChunkedOutputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthOutputStream;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * The HTTP/1.1 wire work that an exchange and a health-check probe share: a connection's codec state, writing a request
 * (httpcore5's output streams), reading the response head past interim responses, and the framing of its body.
 *
 * <p>Thread-safe: per-connection state lives in each connection's {@link Http1Codec}.
 */
final class Http1Wire {

    private final HotPoolConfig config;

    Http1Wire(HotPoolConfig config) {
        this.config = config;
    }

    /**
     * Writes the head and body; returns whether the request asked to close the connection.
     *
     * @param cookies the cookie store's {@code Cookie} value for the request, joined to the request's own
     *     {@code Cookie} header or sent as one; {@code null}: none
     * @param askEncoded whether to ask for gzip or deflate ({@code hotpool.compression.enabled})
     */
    boolean writeRequest(HotRequest request, Http1Codec codec, Connection connection, String cookies,
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
     * Reads the response head, skipping interim 1xx responses (at most {@link Http1Client#MAX_INTERIM_RESPONSES}). An interim
     * response read leniently, or with a body length it must not have, makes the final one lenient too: the connection
     * is not reused after the exchange.
     */
    ResponseHead readHead(HotRequest request, Http1Codec codec, Connection connection, boolean reused)
            throws IOException {
        String lenient = null;
        for (int interim = 0; ; interim++) {
            ResponseHead head = codec.parser.parse(codec.in, request.origin());
            if (head == null) {
                if (interim > 0) {
                    throw ResponseHeadParser.malformed(request.origin(),
                            "the connection closed after an interim (1xx) response, before the final one");
                }
                throw new NoResponseException("hotpool: " + request.origin() + " closed the connection without answering "
                        + request + (reused ? " (a reused connection that had served " + (connection.exchanges() - 1)
                        + " requests)" : ""));
            }
            int code = head.code();
            if (code >= 200 || code == 101) {
                return lenient == null ? head : head.lenient(lenient);
            }
            if (interim == Http1Client.MAX_INTERIM_RESPONSES) {
                throw ResponseHeadParser.malformed(request.origin(),
                        "more than " + Http1Client.MAX_INTERIM_RESPONSES + " interim (1xx) responses");
            }
            if (lenient == null) {
                lenient = head.lenient() != null ? head.lenient()
                        : head.has(ResponseHead.CONTENT_LENGTH) || head.has(ResponseHead.TRANSFER_ENCODING)
                        ? "a body length on a " + code + " response, which has no body" : null;
            }
        }
    }

    Framing framing(HotRequest request, ResponseHead head, Http1Codec codec, boolean requestSaidClose)
            throws MalformedResponseException {
        return Framing.of(request.method().equals("HEAD"), head, codec.in, request.origin(), requestSaidClose, null,
                this.config.maxResponseLineLength(), this.config.maxResponseHeaderCount(),
                this.config.maxResponseHeadSize());
    }

    Http1Codec codec(Connection connection) {
        Http1Codec codec = (Http1Codec) connection.attachment();
        if (codec == null) {
            codec = new Http1Codec(this.config, connection.in());
            connection.attach(codec);
        }
        return codec;
    }

    static int millis(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Whether a failure looks like the server having dropped the connection (not slowness, not garbage). */
    static boolean connectionLoss(Exception e) {
        return e instanceof IOException && !(e instanceof InterruptedIOException)
                && !(e instanceof MalformedResponseException)
                && (!(e instanceof HotPoolException) || e instanceof NoResponseException);
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
