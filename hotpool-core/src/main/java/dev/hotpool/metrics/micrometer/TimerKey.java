package dev.hotpool.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Which timer a sample goes to: its kind, the host meters whose tags it carries and, for the kinds tagged with them,
 * the outcome and the TLS profile. Handshake keys are made per event; the others live in {@link HostMeters}. Equal
 * keys name the same timer in a registry ({@link HostMeters} compares by identity).
 *
 * <p>Immutable and thread-safe.
 */
record TimerKey(TimerKind kind, HostMeters host, String outcome, String profile) {

    /** The host's tags, plus {@code outcome} (connect and handshake) and {@code profile} (handshake). */
    Tags tags() {
        Tags tags = this.host.tags;
        if (this.kind == TimerKind.HANDSHAKE) {
            tags = tags.and(MeterNaming.OUTCOME, this.outcome, MeterNaming.PROFILE, this.profile);
        }
        else if (this.kind == TimerKind.CONNECT) {
            tags = tags.and(MeterNaming.OUTCOME, this.outcome);
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
