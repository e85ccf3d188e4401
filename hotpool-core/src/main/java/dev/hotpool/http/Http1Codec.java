package dev.hotpool.http;

import dev.hotpool.HotPoolConfig;

import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * One connection's HTTP/1.1 codec state: httpcore5's session buffers and a response parser, which keep
 * read-ahead bytes and parse state between exchanges. Attached to the pool entry on first use.
 *
 * <p>Not thread-safe: used only by the connection's current lease holder.
 */
final class Http1Codec {

    static final int BUFFER_SIZE = 8 * 1024;

    final SessionInputBufferImpl in;
    final SessionOutputBufferImpl out;
    final ResponseHeadParser parser;
    /** Reused for each line of a request head. */
    final CharArrayBuffer line = new CharArrayBuffer(128);
    final Http1Config h1;

    Http1Codec(Http1Config h1) {
        this.h1 = h1;
        this.in = new SessionInputBufferImpl(BUFFER_SIZE, h1.getMaxLineLength());
        this.out = new SessionOutputBufferImpl(BUFFER_SIZE);
        this.parser = new ResponseHeadParser(h1);
    }

    static Http1Config h1Config(HotPoolConfig config) {
        return Http1Config.custom()
                .setBufferSize(BUFFER_SIZE)
                .setMaxLineLength(config.maxResponseLineLength())
                .setMaxHeaderCount(config.maxResponseHeaderCount())
                .build();
    }
}
