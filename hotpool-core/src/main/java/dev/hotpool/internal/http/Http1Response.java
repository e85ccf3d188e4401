package dev.hotpool.internal.http;

import dev.hotpool.Header;
import dev.hotpool.HotResponse;

import java.io.InputStream;
import java.util.List;

/** A response head plus the body stream that owns the connection. Not thread-safe. */
final class Http1Response implements HotResponse {

    private final int status;
    private final String reason;
    private final String protocol;
    private final List<Header> headers;
    private final InputStream body;
    private final boolean reused;

    Http1Response(int status, String reason, String protocol, List<Header> headers, InputStream body, boolean reused) {
        this.status = status;
        this.reason = reason;
        this.protocol = protocol;
        this.headers = headers;
        this.body = body;
        this.reused = reused;
    }

    @Override
    public int status() {
        return this.status;
    }

    @Override
    public String reason() {
        return this.reason;
    }

    @Override
    public String protocol() {
        return this.protocol;
    }

    @Override
    public List<Header> headers() {
        return this.headers;
    }

    @Override
    public InputStream body() {
        return this.body;
    }

    @Override
    public boolean reused() {
        return this.reused;
    }

    @Override
    public void close() {
        try {
            this.body.close();
        }
        catch (java.io.IOException ignored) {
            // ResponseBody.close() does not throw; other bodies are in memory.
        }
    }

    @Override
    public String toString() {
        return this.protocol + " " + this.status + (this.reused ? " (reused connection)" : " (new connection)");
    }
}
