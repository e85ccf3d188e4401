package dev.hotpool.internal.http;

import dev.hotpool.Header;

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
    static boolean allowed(boolean requestSaidClose, ResponseHead response) {
        if (requestSaidClose) {
            return false;
        }
        boolean close = false;
        boolean keepAlive = false;
        if (response.has(ResponseHead.CONNECTION)) {
            for (Header h : response.fields()) {
                if (!h.is("Connection")) {
                    continue;
                }
                close |= hasToken(h.value(), "close");
                keepAlive |= hasToken(h.value(), "keep-alive");
            }
        }
        if (close) {
            return false;
        }
        return response.minorVersion() > 0 || keepAlive;
    }

    /** Whether a {@code Connection} request header value asks to close. */
    static boolean saysClose(String connectionHeader) {
        return connectionHeader != null && hasToken(connectionHeader, "close");
    }

    /**
     * Whether the comma-separated {@code list} has {@code token} as an element, ignoring case and the spaces and
     * control characters around it. Walks the value in place: a {@code Connection} field comes with most responses,
     * so no array or substring is made for it.
     */
    private static boolean hasToken(String list, String token) {
        int start = 0;
        while (true) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            while (start < end && list.charAt(start) <= ' ') {
                start++;
            }
            while (end > start && list.charAt(end - 1) <= ' ') {
                end--;
            }
            if (end - start == token.length() && list.regionMatches(true, start, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
    }

    /**
     * How long the connection may idle before the server closes it, from {@code Keep-Alive: timeout=N},
     * shortened by a safety margin (a quarter of it, at most one second); {@code -1} when not given.
     */
    static long idleHintMillis(ResponseHead response) {
        String value = response.has(ResponseHead.KEEP_ALIVE) ? response.first("Keep-Alive") : null;
        if (value == null) {
            return -1;
        }
        for (String param : value.split(",")) {
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
