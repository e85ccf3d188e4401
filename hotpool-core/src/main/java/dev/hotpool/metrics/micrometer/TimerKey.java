package dev.hotpool.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Which timer a sample goes to: its kind, the host meters whose tags it carries and, for the kinds tagged with them,
 * the outcome, the TLS profile and the protocol agreed. Connect and handshake keys are made per event; the others
 * live in {@link HostMeters}. Equal keys name the same timer in a registry ({@link HostMeters} compares by
 * identity).
 *
 * <p>Immutable and thread-safe.
 */
record TimerKey(TimerKind kind, HostMeters host, String outcome, String profile, String protocol) {

    /** A key without outcome, profile or protocol. */
    TimerKey(TimerKind kind, HostMeters host) {
        this(kind, host, null, null, null);
    }

    /**
     * The host's tags, plus {@code outcome} and {@code protocol} (connect and handshake) and {@code profile}
     * (handshake).
     */
    Tags tags() {
        Tags tags = this.host.tags;
        if (this.kind == TimerKind.HANDSHAKE) {
            tags = tags.and(MeterNaming.OUTCOME, this.outcome, MeterNaming.PROFILE, this.profile,
                    MeterNaming.PROTOCOL, this.protocol);
        }
        else if (this.kind == TimerKind.CONNECT) {
            tags = tags.and(MeterNaming.OUTCOME, this.outcome, MeterNaming.PROTOCOL, this.protocol);
        }
        return tags;
    }

    /** Registers (or finds) this key's timer in {@code registry}, tagged with {@code poolTags} and this key's tags. */
    Timer register(MeterRegistry registry, Tags poolTags) {
        return Timer.builder(this.kind.meterName)
            .tags(poolTags)
            .tags(tags())
            .description(this.kind.description)
            .register(registry);
    }
}
