package dev.hotpool.benchmarks.framing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.Version;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Netty's HTTP server codec through Reactor Netty's {@code HttpServer} (defaults) on 127.0.0.1: {@code /text} and
 * {@code /file.txt} send one {@code Mono} (Reactor Netty sets the length), {@code /chunked} a {@code Flux} of two
 * (chunked), {@code /204} a bare status; {@code /file.txt} answers If-None-Match / If-Modified-Since with a 304 as an
 * application does (Netty has no file semantics of its own). Each route logs the request's client port. Thread-safe.
 */
final class NettyServer implements RealServer {

    private static final String ETAG = "\"v1\"";
    private static final String MODIFIED = "Mon, 07 Dec 2026 02:00:00 GMT";

    private final DisposableServer server;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();

    NettyServer() {
        BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> file = (req, res) -> {
            note(req);
            res.header(HttpHeaderNames.ETAG, ETAG).header(HttpHeaderNames.LAST_MODIFIED, MODIFIED);
            if (ETAG.equals(req.requestHeaders().get(HttpHeaderNames.IF_NONE_MATCH))
                    || MODIFIED.equals(req.requestHeaders().get(HttpHeaderNames.IF_MODIFIED_SINCE))) {
                return res.status(HttpResponseStatus.NOT_MODIFIED).send();
            }
            return res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain").sendString(Mono.just("ok"));
        };
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/text", (req, res) -> {
                            note(req);
                            return res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain").sendString(Mono.just("ok"));
                        })
                        .get("/chunked", (req, res) -> {
                            note(req);
                            return res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                                    .sendString(Flux.just("o", "k"));
                        })
                        .get("/204", (req, res) -> {
                            note(req);
                            return res.status(HttpResponseStatus.NO_CONTENT).send();
                        })
                        .get("/file.txt", file)
                        .head("/file.txt", file))
                .bindNow();
    }

    private void note(HttpServerRequest request) {
        this.hits.add(new Hit(((java.net.InetSocketAddress) request.remoteAddress()).getPort(),
                request.method().name(), request.uri()));
    }

    @Override
    public String name() {
        Version codec = Version.identify().get("netty-codec-http");
        return "Netty " + (codec == null ? "?" : codec.artifactVersion()) + " (HttpServerCodec) through Reactor Netty "
                + HttpServer.class.getPackage().getImplementationVersion();
    }

    @Override
    public String id() {
        return "netty";
    }

    @Override
    public int port() {
        return this.server.port();
    }

    @Override
    public List<Probe> probes() {
        return List.of(Probe.file("route, Mono body, ETag by the application"), Probe.text("route, Mono body"),
                Probe.chunked("/chunked", "route, Flux of two"), Probe.noContent("route, status 204"),
                Probe.ifNoneMatch(), Probe.ifModifiedSince(), Probe.head());
    }

    @Override
    public List<Hit> hits() {
        return List.copyOf(this.hits);
    }

    @Override
    public void close() {
        this.server.disposeNow();
    }
}
