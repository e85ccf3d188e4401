package dev.hotpool.metrics.micrometer;

import dev.hotpool.CloseReason;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Tags;

/**
 * The meters of one host tag value (one {@code host:port}, {@link HotPoolMetrics#OTHER_HOSTS}, or every host when
 * hosts are not tagged): the counts behind its counters, which count from the pool's start whether or not a registry
 * is bound, and the keys of its timers. {@link HostMeterTable} decides which one an origin counts into; each
 * {@link BoundRegistry} registers its meters. Equality is identity: it is a map key per registry.
 *
 * <p>Thread-safe: the counts are adders, {@link #announced} is atomic and the rest is final.
 */
final class HostMeters {

    /** The host's tags (empty when hosts are not tagged); a registry adds the pool's. */
    final Tags tags;

    /** Connections opened. */
    final LongAdder created = new LongAdder();

    /** Connections closed, by {@link CloseReason#ordinal()}. */
    final LongAdder[] closed = new LongAdder[CloseReason.values().length];

    /** Leases that got no connection. */
    final LongAdder timeouts = new LongAdder();

    /** Addresses ejected as outliers. */
    final LongAdder ejections = new LongAdder();

    final TimerKey acquireKey;

    final TimerKey usageKey;

    final TimerKey streamWaitKey;

    final TimerKey durationKey;

    /** Whether its meters were offered to the registries bound so far (set once, by {@link HostMeterTable}). */
    final AtomicBoolean announced = new AtomicBoolean();

    HostMeters(Tags tags) {
        this.tags = tags;
        for (int i = 0; i < this.closed.length; i++) {
            this.closed[i] = new LongAdder();
        }
        this.acquireKey = new TimerKey(TimerKind.ACQUIRE, this);
        this.usageKey = new TimerKey(TimerKind.USAGE, this);
        this.streamWaitKey = new TimerKey(TimerKind.STREAM_WAIT, this);
        this.durationKey = new TimerKey(TimerKind.DURATION, this);
    }

    /** The adder of connections closed for {@code reason}. */
    LongAdder closed(CloseReason reason) {
        return this.closed[reason.ordinal()];
    }

    /** The key of a handshake's timer; made per event, as its profile and protocol are the event's. */
    TimerKey handshakeKey(boolean succeeded, String profile, String protocol) {
        return new TimerKey(TimerKind.HANDSHAKE, this, MeterNaming.outcome(succeeded),
                profile != null ? profile : MeterNaming.NO_PROFILE, MeterNaming.protocol(protocol));
    }

    /** The key of a TCP connect's timer; made per event (a connect is rare), as its protocol is the event's. */
    TimerKey connectKey(boolean succeeded, String protocol) {
        return new TimerKey(TimerKind.CONNECT, this, MeterNaming.outcome(succeeded), null,
                MeterNaming.protocol(protocol));
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
