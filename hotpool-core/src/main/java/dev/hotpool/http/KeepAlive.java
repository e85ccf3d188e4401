package dev.hotpool.http;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;

/**
 * HTTP/1.1 keep-alive rules (RFC 9112 §9.3): whether a connection may carry another request after this
 * exchange, and for how long the server promises to keep it. Stateless and thread-safe.
 */
final class KeepAlive {

    /** Seconds-based hints are shortened by this share (at most a second) so we close before the server does. */
    private static final long MAX_MARGIN_MILLIS = 1000;

    private KeepAlive() {
    }

    /**
     * Whether both sides allow reuse: an HTTP/1.1 response without {@code Connection: close}, or an HTTP/1.0
     * response with {@code Connection: keep-alive}; never when the request said {@code Connection: close}.
     */
    static boolean allowed(boolean requestSaidClose, ClassicHttpResponse response) {
        if (requestSaidClose) {
            return false;
        }
        boolean close = false;
        boolean keepAlive = false;
        for (Header h : response.getHeaders("Connection")) {
            for (String token : h.getValue().split(",")) {
                String t = token.trim();
                close |= t.equalsIgnoreCase("close");
                keepAlive |= t.equalsIgnoreCase("keep-alive");
            }
        }
        if (close) {
            return false;
        }
        ProtocolVersion version = response.getVersion();
        if (version == null || version.lessEquals(HttpVersion.HTTP_1_0)) {
            return keepAlive;
        }
        return true;
    }

    /** Whether a {@code Connection} request header value asks to close. */
    static boolean saysClose(String connectionHeader) {
        if (connectionHeader == null) {
            return false;
        }
        for (String token : connectionHeader.split(",")) {
            if (token.trim().equalsIgnoreCase("close")) {
                return true;
            }
        }
        return false;
    }

    /**
     * How long the connection may idle before the server closes it, from {@code Keep-Alive: timeout=N},
     * shortened by a safety margin (a quarter of it, at most one second); {@code -1} when not given.
     */
    static long idleHintMillis(ClassicHttpResponse response) {
        Header h = response.getFirstHeader("Keep-Alive");
        if (h == null) {
            return -1;
        }
        for (String param : h.getValue().split(",")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("timeout")) {
                try {
                    long seconds = Long.parseLong(p.substring(eq + 1).trim());
                    if (seconds <= 0) {
                        return 0;
                    }
                    long millis = Math.min(seconds, Long.MAX_VALUE / 1000) * 1000;
                    return millis - Math.min(MAX_MARGIN_MILLIS, millis / 4);
                }
                catch (NumberFormatException e) {
                    return -1; // A malformed hint is ignored; the pool's idle timeout still applies.
                }
            }
        }
        return -1;
    }
}
