package dev.hotpool.benchmarks.load;

import java.net.URI;

import dev.hotpool.Origin;

/**
 * Where the upstream is and whom to trust: shared by every client. Immutable.
 *
 * @param host the upstream's address (an IP literal on loopback)
 * @param port its HTTPS port (keep-alive)
 * @param closePort the HTTPS port of the server that closes after each response ({@link Shape#CONN_PER_REQUEST}),
 *     or -1
 * @param tls trust in nginx's generated certificate
 */
record Setup(String host, int port, int closePort, BenchTls tls) {

    Origin origin() {
        return Origin.of("https", this.host, this.port);
    }

    /** {@code https://host:port/path?w=tag}: every request carries its window's tag into nginx's access log. */
    URI uri(String path, String tag) {
        return URI.create("https://" + this.host + ":" + this.port + path + "?w=" + tag);
    }

    /** The shape's URI on its server, tagged. */
    URI uri(Shape shape, String tag) {
        int p = shape.server == Shape.Server.CLOSE ? this.closePort : this.port;
        if (p <= 0) {
            throw new IllegalArgumentException("benchmark: shape " + shape.id + " needs --close-port (run.sh passes it)");
        }
        return URI.create("https://" + this.host + ":" + p + shape.path + "?w=" + tag);
    }
}
