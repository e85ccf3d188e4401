package dev.hotpool.internal.pool;

import dev.hotpool.AcquireTimeoutException;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.net.AddressFilter;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Leases connections: asks the {@link ConnectionPool} to admit each lease, then does outside its lock what the pool
 * must not do under it — the address filters' look at an idle connection's address (one no longer allowed is closed),
 * the 1 ms liveness read of a connection idle longer than {@code validate-after-inactivity} (or, for a
 * {@link LeaseMode#NOT_RETRYABLE} lease, {@code validate-non-retryable-after-inactivity}), the connect of a
 * reserved slot, the wait in line — and begins the lease. When a lease fails because every connection of its route
 * is leased, it logs the pool's {@link StarvationWarning}.
 *
 * <p>Thread-safe: it holds no state of its own.
 */
final class Leaser {

    private final ConnectionPool pool;
    private final Connector connector;
    private final Multiplexing multiplexing;
    private final LeaseEvents events;
    private final Clock clock;
    private final long validateAfterMillis;
    /** The idle time past which a {@link LeaseMode#NOT_RETRYABLE} lease checks: never more than the other. */
    private final long validateNotRetryableAfterMillis;
    private final AddressFilter poolFilter;

    Leaser(ConnectionPool pool, Connector connector, HotPoolConfig config) {
        this(pool, connector, config, Multiplexing.NONE);
    }

    /** @param multiplexing starts the session of a new connection that agreed to multiplex */
    Leaser(ConnectionPool pool, Connector connector, HotPoolConfig config, Multiplexing multiplexing) {
        this.pool = pool;
        this.connector = connector;
        this.multiplexing = multiplexing;
        this.events = pool.leaseEvents();
        this.clock = config.clock();
        this.validateAfterMillis = config.validateAfterInactivity().toMillis();
        this.validateNotRetryableAfterMillis = Math.min(this.validateAfterMillis,
                config.validateNonRetryableAfterInactivity().toMillis());
        this.poolFilter = config.addressFilter();
    }

    /**
     * Leases a connection of the given kind for the route, waiting up to {@code acquireTimeout}.
     *
     * @throws AcquireTimeoutException when none could be had in time, or the line of waiting leases is full
     * @throws HotPoolException when the pool is closed, or connecting failed
     */
    Lease lease(Route route, LeaseMode mode, Duration acquireTimeout, int connectTimeoutMillis, int readTimeoutMillis)
            throws IOException {
        return lease(route.origin(), route.tls(), route.filter(), route.proxy(), mode, acquireTimeout,
                connectTimeoutMillis, readTimeoutMillis);
    }

    /** As {@link #lease(Route, LeaseMode, Duration, int, int)}, for the route of these parts (see {@link Route#of}). */
    Lease lease(Origin origin, TlsSettings tls, AddressFilter filter, HttpProxy proxy, LeaseMode mode,
            Duration acquireTimeout, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        try {
            return take(origin, tls, filter, proxy, mode, acquireTimeout, connectTimeoutMillis, readTimeoutMillis);
        }
        catch (AcquireTimeoutException e) {
            this.events.starvation().logPending(); // The pool only decides, under its lock; the log is written here.
            throw e;
        }
    }

    private Lease take(Origin origin, TlsSettings tls, AddressFilter filter, HttpProxy proxy, LeaseMode mode,
            Duration acquireTimeout, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        long start = System.nanoTime();
        long timeoutNanos = Waiter.saturatedNanos(acquireTimeout);
        while (true) {
            long now = this.clock.millis();
            Admission admission = this.pool.admit(origin, tls, filter, proxy, mode, now);
            if (admission instanceof Waiter waiter) {
                Held granted = waiter.await(this.pool, start, timeoutNanos);
                if (granted instanceof PoolEntry e && e.transport() == null) {
                    return connect(e, connectTimeoutMillis, readTimeoutMillis, start);
                }
                Held lease = this.events.begin(granted, true /* reused: handed over, or a stream of one open */, start);
                if (lease instanceof StreamLease) {
                    this.events.streamWaited(lease, start);
                }
                return lease;
            }
            if (admission instanceof StreamLease stream) {
                if (!stream.entry.allowedBy(this.poolFilter)) {
                    this.pool.discardStream(stream, CloseReason.EVICTED); // Its address is no longer allowed.
                    continue;
                }
                return this.events.begin(stream, true /* reused: a stream of a connection already open */, start);
            }
            PoolEntry entry = (PoolEntry) admission;
            if (entry.transport() == null) {
                return connect(entry, connectTimeoutMillis, readTimeoutMillis, start);
            }
            if (!entry.allowedBy(this.poolFilter)) {
                this.pool.discard(entry, CloseReason.EVICTED); // Its address is no longer allowed.
                continue;
            }
            long validateAfter = mode == LeaseMode.NOT_RETRYABLE ? this.validateNotRetryableAfterMillis
                    : this.validateAfterMillis;
            if (now - entry.idleSince > validateAfter && !entry.transport().isAlive()) {
                this.pool.discard(entry, CloseReason.STALE);
                continue;
            }
            return this.events.begin(entry, true /* reused */, start);
        }
    }

    /**
     * Opens one connection for a warm route when there is room (see {@link PoolUpkeep#reserveForWarmup}). The
     * caller probes it if it likes, then releases it into the idle lists. Not counted as a lease.
     *
     * @return the new connection, LEASED, or {@code null} when there is no room or the pool is closed
     */
    Held openForWarmup(Route route, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        PoolEntry reserved = this.pool.upkeep().reserveForWarmup(route);
        return reserved == null ? null : open(reserved, connectTimeoutMillis, readTimeoutMillis);
    }

    private Lease connect(PoolEntry reserved, int connectTimeoutMillis, int readTimeoutMillis, long start)
            throws IOException {
        return this.events.begin(open(reserved, connectTimeoutMillis, readTimeoutMillis), false /* new */, start);
    }

    /**
     * Opens the connection of a reserved slot (its transport, and its multiplexed session when it agreed to one) and
     * leases it: the connection, or its first stream. On failure gives the slot back (to a waiter, if any) and
     * rethrows.
     */
    private Held open(PoolEntry reserved, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        RoutePool r = reserved.route;
        Transport transport;
        try {
            transport = this.connector.connect(r.route(), r.load(), connectTimeoutMillis, readTimeoutMillis);
        }
        catch (IOException | RuntimeException | Error e) {
            this.pool.connectFailed(reserved);
            throw e;
        }
        Multiplex session = null;
        if (r.mayMultiplex()) {
            try {
                session = this.multiplexing.open(r.route().origin(), transport, reserved, connectTimeoutMillis);
            }
            catch (IOException | RuntimeException | Error e) {
                transport.abort();
                r.load().add(transport.remote().getAddress(), -1); // The connector counted it: the connect succeeded.
                this.pool.connectFailed(reserved);
                throw e;
            }
        }
        return this.pool.connected(reserved, transport, session);
    }
}
