package dev.hotpool;

/** Why a connection was closed. Counted per reason in {@link PoolStats}. */
public enum CloseReason {

    /**
     * Idle longer than the idle timeout, or than the server's {@code Keep-Alive: timeout} hint; or, asked for by a
     * request that cannot be retried, idle nearly as long as its server was seen closing connections after.
     */
    IDLE_TIMEOUT,

    /** Older than its (jittered) maximum lifetime. */
    MAX_LIFETIME,

    /** Served {@code hotpool.max-requests-per-connection} exchanges. */
    MAX_REQUESTS,

    /** The server said {@code Connection: close}, spoke HTTP/1.0 without keep-alive, or ended the body by closing. */
    SERVER_CLOSED,

    /** Found closed or sending unexpected bytes by the liveness check before reuse. */
    STALE,

    /** Failed a health check. */
    UNHEALTHY,

    /** Its address was ejected as an outlier. */
    EJECTED,

    /** Closed to make room: another host needed a slot at the global limit, or more idle connections than allowed. */
    EVICTED,

    /**
     * An exchange failed or was abandoned half-way (I/O error, malformed response, unread body left behind), or its
     * response was read leniently (see docs/framing.md) and its connection cannot be trusted.
     */
    ERROR,

    /** The pool was closed. */
    SHUTDOWN
}
