package dev.hotpool.testsupport;

import dev.hotpool.CloseReason;
import dev.hotpool.Origin;
import dev.hotpool.metrics.PoolListener;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts a pool's open connections from its events, per origin and in all, and the most that were open at once: a
 * connection counts from {@code connectionOpened} to {@code connectionClosed}. The pool reports both under its lock,
 * so the counts move in the order the pool opened and closed connections. (A server cannot count this: it sees a
 * close only when its thread reads the end of stream, which may come after it accepted the connection the pool opened
 * next.) Pass it as the pool's {@code listener}.
 *
 * <p>Thread-safe.
 */
public final class OpenConnections implements PoolListener {

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final Map<Origin, Integer> open = new HashMap<>();
    /** Guarded by lock. */
    private final Map<Origin, Integer> maxOpen = new HashMap<>();
    /** Guarded by lock. */
    private int total;
    /** Guarded by lock. */
    private int maxTotal;
    /** Guarded by lock. */
    private int opened;

    @Override
    public void connectionOpened(Origin origin, InetAddress address) {
        this.lock.lock();
        try {
            this.opened++;
            this.total++;
            this.maxTotal = Math.max(this.maxTotal, this.total);
            int now = this.open.merge(origin, 1, Integer::sum);
            this.maxOpen.merge(origin, now, Math::max);
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public void connectionClosed(Origin origin, CloseReason reason, long ageNanos) {
        if (ageNanos < 0) {
            return; // Never opened: never counted.
        }
        this.lock.lock();
        try {
            this.total--;
            this.open.merge(origin, -1, Integer::sum);
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Connections opened so far, to every origin. */
    public int opened() {
        return read(() -> this.opened);
    }

    /** Connections open now, to every origin. */
    public int open() {
        return read(() -> this.total);
    }

    /** The most connections that were open at once, to all origins together. */
    public int maxOpen() {
        return read(() -> this.maxTotal);
    }

    /** The most connections that were open at once to {@code origin}. */
    public int maxOpen(Origin origin) {
        return read(() -> this.maxOpen.getOrDefault(origin, 0));
    }

    private int read(java.util.function.IntSupplier value) {
        this.lock.lock();
        try {
            return value.getAsInt();
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "open connections: " + open() + " now, at most " + maxOpen() + ", " + opened() + " opened";
    }
}
