package dev.hotpool;

import java.net.URI;

/**
 * What of a request may appear in logs and messages: scheme, host, port and path, never the query,
 * fragment or user info. Thread-safe (stateless).
 */
final class Redaction {

    private Redaction() {
    }

    /** {@code scheme://host:port/path}, without user info, query or fragment. */
    static String uri(URI uri) {
        if (uri == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) {
            sb.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            sb.append(uri.getHost());
            if (uri.getPort() >= 0) {
                sb.append(':').append(uri.getPort());
            }
        }
        String path = uri.getRawPath();
        if (path != null) {
            sb.append(path);
        }
        if (uri.getRawQuery() != null) {
            sb.append("?…");
        }
        return sb.toString();
    }
}
