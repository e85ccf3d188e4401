package dev.hotpool.internal.pool;

import dev.hotpool.Origin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The idle time after which an origin's server was seen closing connections (one found at EOF before reuse, or lost
 * before answering a reused request), per origin: a lease that cannot be retried does not take a connection idle
 * within a margin of it, since the server closes such a connection while the request is on its way. Kept apart from
 * the routes (which go when unused, as the one connection such a close leaves behind often is) for at most
 * {@code capacity} origins, the oldest learned forgotten first; only origins whose server closed an idle connection
 * have an entry.
 *
 * <p>Not thread-safe: guarded by the owning pool's lock.
 */
final class ServerIdleLimits {

    /** How long an observed limit is kept without being seen again. */
    static final long MEMORY_MILLIS = 10 * 60_000;

    private final Map<Origin, Limit> limits;

    ServerIdleLimits(int capacity) {
        this.limits = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Origin, Limit> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The origin's limit if one was seen, else {@code null} (a route keeps what it got when it was created). */
    Limit existing(Origin origin) {
        return this.limits.get(origin);
    }

    /** The origin's limit, made (unknown) when none was seen. */
    Limit of(Origin origin) {
        return this.limits.computeIfAbsent(origin, o -> new Limit());
    }

    int size() {
        return this.limits.size();
    }

    /** One origin's observed idle limit. */
    static final class Limit {

        /** The shortest idle time after which a connection was found closed by the server; unknown: MAX_VALUE. */
        private long closedAfterMillis = Long.MAX_VALUE;
        private long seenAt;

        /** The server closed a connection that had idled {@code idleMillis} (or less). */
        void closedAfter(long idleMillis, long now) {
            if (idleMillis < this.closedAfterMillis || now - this.seenAt > MEMORY_MILLIS) {
                this.closedAfterMillis = Math.max(0, idleMillis);
            }
            this.seenAt = now;
        }

        /**
         * Whether a connection idle {@code idleMillis} is within max(100 ms, a tenth) of the observed limit, for a
         * request that cannot be retried.
         */
        boolean near(long idleMillis, long now) {
            long limit = this.closedAfterMillis;
            if (limit == Long.MAX_VALUE) {
                return false;
            }
            if (now - this.seenAt > MEMORY_MILLIS) {
                this.closedAfterMillis = Long.MAX_VALUE;
                return false;
            }
            return idleMillis >= limit - Math.max(100, limit / 10);
        }

        /** A connection that had idled {@code idleMillis} served an exchange: a limit at or below it is out of date. */
        void servedAfter(long idleMillis) {
            if (idleMillis > 0 && idleMillis >= this.closedAfterMillis) {
                this.closedAfterMillis = Long.MAX_VALUE;
            }
        }
    }
}
