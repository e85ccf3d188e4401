package dev.hotpool.benchmarks.framing;

import java.util.List;

/**
 * A real HTTP/1.1 server started on 127.0.0.1 for {@link RealServersCheck}: the requests it answers and, where it can
 * tell, the client port of every request it served (one port = one connection).
 *
 * <p>Implementations are thread-safe: their request log is written by the server's threads and read by the check.
 */
interface RealServer extends AutoCloseable {

    /** How a probe's request is made conditional, with a validator the server sent for {@code /file.txt}. */
    enum Conditional {
        /** No conditional header. */
        NONE,
        /** {@code If-None-Match} with the {@code ETag} of {@code /file.txt}. */
        IF_NONE_MATCH,
        /** {@code If-Modified-Since} with the {@code Last-Modified} of {@code /file.txt}. */
        IF_MODIFIED_SINCE
    }

    /**
     * One request to send.
     *
     * @param name what it asks for ({@code file}, {@code chunked}, {@code 204}, ...)
     * @param what how the server answers it (for the report)
     */
    record Probe(String name, String method, String path, Conditional conditional, String what) {

        /** {@code GET /file.txt}: a body of known length, with the server's validators. */
        static Probe file(String what) {
            return new Probe("file", "GET", "/file.txt", Conditional.NONE, what);
        }

        /** {@code GET /text}: {@code ok} written by the application. */
        static Probe text(String what) {
            return new Probe("text", "GET", "/text", Conditional.NONE, what);
        }

        /** A body the server sends chunked. */
        static Probe chunked(String path, String what) {
            return new Probe("chunked", "GET", path, Conditional.NONE, what);
        }

        /** {@code GET /204}: no content. */
        static Probe noContent(String what) {
            return new Probe("204", "GET", "/204", Conditional.NONE, what);
        }

        /** {@code /file.txt} again with {@code If-None-Match}: a 304. */
        static Probe ifNoneMatch() {
            return new Probe("304-etag", "GET", "/file.txt", Conditional.IF_NONE_MATCH, "If-None-Match: its ETag");
        }

        /** {@code /file.txt} again with {@code If-Modified-Since}: a 304. */
        static Probe ifModifiedSince() {
            return new Probe("304-date", "GET", "/file.txt", Conditional.IF_MODIFIED_SINCE,
                    "If-Modified-Since: its Last-Modified");
        }

        /** {@code HEAD /file.txt}. */
        static Probe head() {
            return new Probe("head", "HEAD", "/file.txt", Conditional.NONE, "HEAD of the file");
        }
    }

    /** A request as the server saw it: the client's port (its connection) and the path. */
    record Hit(int clientPort, String method, String path) {
    }

    /** The server's name and version, e.g. {@code nginx 1.22.1}. */
    String name();

    /** A short id for file names, e.g. {@code nginx}. */
    String id();

    int port();

    /** The requests to send, in order. The first asks for {@code /file.txt} with {@code GET}. */
    List<Probe> probes();

    /** The requests served so far, in order, or {@code null} when this server cannot tell its clients' ports. */
    List<Hit> hits();

    /** Stops the server (and its process) and releases what it holds. */
    @Override
    void close();
}
