package dev.hotpool.benchmarks.framing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Jetty 12 (core handlers, defaults) on 127.0.0.1: its {@code ResourceHandler} serves {@code /file.txt} (ETag on;
 * Last-Modified, 304 and HEAD are its own), a handler answers {@code /text} (one last write: Jetty sets the length),
 * {@code /chunked} (two writes, the first not last: Jetty chunks) and {@code /204}. The handler logs every request's
 * client port. Thread-safe.
 */
final class JettyServer implements RealServer {

    private final Server server;
    private final int port;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();

    JettyServer(Path www) throws Exception {
        this.server = new Server();
        ServerConnector connector = new ServerConnector(this.server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        this.server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(this.server).newResource(www.toAbsolutePath()));
        files.setEtags(true);
        files.setDirAllowed(false);
        this.server.setHandler(new Handler.Wrapper(files) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                JettyServer.this.hits.add(new Hit(Request.getRemotePort(request), request.getMethod(), path));
                switch (path) {
                    case "/text" -> {
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
                        Content.Sink.write(response, true, "ok", callback);
                        return true;
                    }
                    case "/chunked" -> {
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
                        Content.Sink.write(response, false, "o", Callback.from(
                                () -> Content.Sink.write(response, true, "k", callback), callback::failed));
                        return true;
                    }
                    case "/204" -> {
                        response.setStatus(204);
                        callback.succeeded();
                        return true;
                    }
                    default -> {
                        return super.handle(request, response, callback);
                    }
                }
            }
        });
        this.server.start();
        this.port = connector.getLocalPort();
    }

    @Override
    public String name() {
        return "Jetty " + Jetty.VERSION + " (embedded, core handlers)";
    }

    @Override
    public String id() {
        return "jetty";
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public List<Probe> probes() {
        return List.of(Probe.file("ResourceHandler, static file, ETags on"), Probe.text("handler, one last write"),
                Probe.chunked("/chunked", "handler, a write before the last"), Probe.noContent("handler, status 204"),
                Probe.ifNoneMatch(), Probe.ifModifiedSince(), Probe.head());
    }

    @Override
    public List<Hit> hits() {
        return List.copyOf(this.hits);
    }

    @Override
    public void close() {
        try {
            this.server.stop();
        }
        catch (Exception e) {
            throw new IllegalStateException("real servers: Jetty did not stop", e);
        }
    }
}
