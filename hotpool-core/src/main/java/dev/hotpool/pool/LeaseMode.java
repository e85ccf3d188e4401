package dev.hotpool.pool;

/** What kind of connection a lease may take. Not API: public only because the HTTP layer, in another package, asks. */
public enum LeaseMode {

    /** The newest usable idle connection, else a new one, else wait. */
    ANY,

    /**
     * A newly opened connection (a retry after a kept-alive connection went stale: its idle siblings may be
     * stale too). At the per-host limit the route's own oldest idle connection is closed to make room.
     */
    NEW_CONNECTION
}
