package dev.hotpool.internal.http;

import dev.hotpool.HotPoolConfig;

import java.io.InputStream;

import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * One connection's HTTP/1.1 codec state, kept between exchanges: what was received and not consumed yet
 * ({@link WireReader}) with the response head parser, and httpcore5's output buffer for requests. Attached to the
 * pool entry on first use.
 *
 * <p>Not thread-safe: used only by the connection's current lease holder.
 */
final class Http1Codec {

    static final int BUFFER_SIZE = 8 * 1024;

    final WireReader in;
    final SessionOutputBufferImpl out;
    final ResponseHeadParser parser;
    /** Reused for each line of a request head. */
    final CharArrayBuffer line = new CharArrayBuffer(128);

    Http1Codec(HotPoolConfig config, InputStream connection) {
        this.in = new WireReader(connection);
        this.out = new SessionOutputBufferImpl(BUFFER_SIZE);
        this.parser = new ResponseHeadParser(config.maxResponseLineLength(), config.maxResponseHeaderCount(),
                config.maxResponseHeadSize());
    }
}
