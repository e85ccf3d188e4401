package dev.hotpool.internal.pool;

/** What kind of connection a lease may take; the HTTP layer ({@code dev.hotpool.internal.http}) asks. */
public enum LeaseMode {

    /** The newest usable idle connection, else a new one, else wait. */
    ANY,

    /**
     * As {@link #ANY}, for a request that must not be sent twice (a method that is not idempotent and no
     * {@code Idempotency-Key}, a body that cannot be replayed, or any request while retries are off): an idle
     * connection is checked for a close by the server after the shorter idle time
     * {@code validate-non-retryable-after-inactivity}, since a request refused on a closed connection could not be
     * retried.
     */
    NOT_RETRYABLE,

    /**
     * A newly opened connection (a retry after a kept-alive connection went stale: its idle siblings may be
     * stale too). At the per-host limit the route's own oldest idle connection is closed to make room.
     */
    NEW_CONNECTION
}
