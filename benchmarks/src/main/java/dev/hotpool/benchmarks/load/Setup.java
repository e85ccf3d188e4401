package dev.hotpool.benchmarks.load;

import java.net.URI;

import dev.hotpool.Origin;

/**
 * Where the upstream is and whom to trust: shared by every client. Immutable.
 *
 * @param host the upstream's address (an IP literal on loopback)
 * @param port its HTTPS port
 * @param tls trust in nginx's generated certificate
 */
record Setup(String host, int port, BenchTls tls) {

    Origin origin() {
        return Origin.of("https", this.host, this.port);
    }

    /** {@code https://host:port/path?w=tag}: every request carries its window's tag into nginx's access log. */
    URI uri(String path, String tag) {
        return URI.create("https://" + this.host + ":" + this.port + path + "?w=" + tag);
    }
}
