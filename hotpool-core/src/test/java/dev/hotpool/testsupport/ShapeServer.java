package dev.hotpool.testsupport;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback server of {@link ResponseShape}s, for the response-body contract tests of the core and of the Spring
 * request factory: {@code /seq/ID} sends the shape served under ID (and closes the connection after it when the shape
 * says the server closes), {@code /redirect/ID} redirects there, any other target is answered 200 {@code after}. It
 * remembers the connection each request target came on, so a test can tell whether the request after a body reused
 * that body's connection.
 *
 * <p>Thread-safe: the stub's threads serve while the test adds and forgets shapes.
 */
public final class ShapeServer implements AutoCloseable {

    /** The shapes served, by id. An entry leaves with {@link #forget}. */
    private final Map<String, ResponseShape> shapes = new ConcurrentHashMap<>();

    /** The connection (as the stub counts them) each request target came on. An entry leaves with {@link #forget}. */
    private final Map<String, Integer> connectionOf = new ConcurrentHashMap<>();

    private final StubServer server;

    /**
     * @param redirectStatus the status line {@code /redirect/ID} answers with, such as {@code 302 Found}
     */
    public ShapeServer(String redirectStatus) throws IOException {
        this.server = StubServer.http((req, ex) -> {
            this.connectionOf.put(req.target(), req.connection());
            String id = req.target().substring(req.target().lastIndexOf('/') + 1);
            if (req.target().startsWith("/redirect/")) {
                ex.raw("HTTP/1.1 " + redirectStatus + "\r\nLocation: /seq/" + id + "\r\nContent-Length: 0\r\n\r\n");
            }
            else if (req.target().startsWith("/seq/")) {
                ResponseShape shape = this.shapes.get(id);
                shape.send(ex.stream());
                if (shape.serverCloses()) {
                    ex.close();
                }
            }
            else {
                ex.respond(200, "after");
            }
        });
    }

    /** Serves {@code shape} under {@code id}; returns the address of it, through a redirect or not. */
    public URI serve(String id, ResponseShape shape, boolean redirected) {
        this.shapes.put(id, shape);
        return this.server.uri((redirected ? "/redirect/" : "/seq/") + id);
    }

    /** The address to ask after the body of {@code id}: answered {@code after}. */
    public URI after(String id) {
        return this.server.uri("/after/" + id);
    }

    /** Whether the request {@link #after} the body of {@code id} came on the connection that body came on. */
    public boolean afterOnTheSameConnection(String id) {
        return this.connectionOf.get("/seq/" + id).equals(this.connectionOf.get("/after/" + id));
    }

    /** Forgets the shape of {@code id} and the connections its requests came on. */
    public void forget(String id) {
        this.shapes.remove(id);
        this.connectionOf.keySet().removeIf(target -> target.endsWith("/" + id));
    }

    public int connectionsAccepted() {
        return this.server.connectionsAccepted();
    }

    @Override
    public void close() {
        this.server.close();
    }
}
