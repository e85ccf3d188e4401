package dev.hotpool.metrics.micrometer;

import dev.hotpool.CloseReason;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * One registry a {@link HotPoolMetrics} was bound to, and every meter registered there, so that
 * {@link HotPoolMetrics#close()} removes exactly those. It registers the pool's gauges, each host's gauges, counters
 * and timers (in that order, the order of the first release), and each other timer on its first sample. A meter that
 * cannot be registered or recorded (a registry's filter or naming convention that throws) goes to {@code failures}
 * and is skipped: metrics never break the pool. Names and tags come from {@link MeterNaming} and {@link TimerKind},
 * values from {@link PoolGauges} and {@link HostMeters}.
 *
 * <p>Thread-safe: the meters registered are a copy-on-write list and the timers a concurrent map, so events of
 * several threads may register and record at once.
 */
final class BoundRegistry {

    private final MeterRegistry registry;

    /** Tags of every meter: the pool's name. */
    private final Tags poolTags;

    private final PoolGauges gauges;

    private final MeterNaming naming;

    private final Consumer<RuntimeException> failures;

    /** The timers registered here by key; cleared with {@link #removeAll()}. */
    private final ConcurrentMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    /** Every meter registered here, timers included; cleared with {@link #removeAll()}. */
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    BoundRegistry(MeterRegistry registry, Tags poolTags, PoolGauges gauges, MeterNaming naming,
            Consumer<RuntimeException> failures) {
        this.registry = registry;
        this.poolTags = poolTags;
        this.gauges = gauges;
        this.naming = naming;
        this.failures = failures;
    }

    /** {@code hotpool.connections.max}. A failure here propagates: it is the first meter of {@code bindTo}. */
    void registerPoolGauges() {
        add(Gauge.builder(MeterNaming.MAX_CONNECTIONS, this.gauges, PoolGauges::maxConnections)
            .tags(this.poolTags)
            .description("Most connections open at once, over all hosts")
            .baseUnit(MeterNaming.CONNECTIONS_UNIT)
            .strongReference(true)
            .register(this.registry));
    }

    /** {@code hotpool.proxy.connections} of the proxy {@code host:port}, one per state. */
    void registerProxy(String proxy) {
        try {
            for (ConnectionState state : ConnectionState.values()) {
                add(Gauge.builder(MeterNaming.PROXY_CONNECTIONS, this.gauges, (g) -> g.proxyConnections(proxy, state))
                    .tags(this.poolTags)
                    .tag(MeterNaming.PROXY, proxy)
                    .tag(MeterNaming.STATE, state.tag())
                    .description("Connections through the HTTP proxy: leased (active) or idle, and leases "
                            + "waiting for one (pending)")
                    .baseUnit(MeterNaming.CONNECTIONS_UNIT)
                    .strongReference(true)
                    .register(this.registry));
            }
        }
        catch (RuntimeException ex) {
            this.failures.accept(ex);
        }
    }

    /**
     * A host tag's meters: its connection gauges, its counters, its acquire and usage timers (the order of the first
     * release), then its HTTP/2 stream gauges and stream-wait timer.
     */
    void registerHost(HostMeters host) {
        try {
            Tags tags = this.poolTags.and(host.tags);
            for (ConnectionState state : ConnectionState.values()) {
                MeterNaming.StateGauge gauge = this.naming.connectionGauge(state);
                add(Gauge.builder(gauge.name(), this.gauges, (g) -> g.connections(host, state))
                    .tags(tags)
                    .tag(gauge.stateTag(), state.tag())
                    .description(gauge.description())
                    .baseUnit(MeterNaming.CONNECTIONS_UNIT)
                    .strongReference(true)
                    .register(this.registry));
            }
            add(FunctionCounter.builder(MeterNaming.CREATED, host.created, LongAdder::doubleValue)
                .tags(tags)
                .description("Connections opened (TCP, plus TLS for https)")
                .baseUnit(MeterNaming.CONNECTIONS_UNIT)
                .register(this.registry));
            for (CloseReason reason : CloseReason.values()) {
                add(FunctionCounter.builder(MeterNaming.CLOSED, host.closed(reason), LongAdder::doubleValue)
                    .tags(tags)
                    .tag(MeterNaming.REASON, MeterNaming.reasonTag(reason))
                    .description("Connections closed, per reason")
                    .baseUnit(MeterNaming.CONNECTIONS_UNIT)
                    .register(this.registry));
            }
            add(FunctionCounter.builder(MeterNaming.TIMEOUTS, host.timeouts, LongAdder::doubleValue)
                .tags(tags)
                .description("Leases that got no connection: acquire timeout, or too many waiting")
                .register(this.registry));
            add(FunctionCounter.builder(MeterNaming.EJECTIONS, host.ejections, LongAdder::doubleValue)
                .tags(tags)
                .description("Addresses ejected as outliers")
                .register(this.registry));
            timer(host.acquireKey);
            timer(host.usageKey);
            for (StreamCount count : StreamCount.values()) {
                add(Gauge.builder(count.meterName, this.gauges, (g) -> g.streams(host, count))
                    .tags(tags)
                    .description(count.description)
                    .strongReference(true)
                    .register(this.registry));
            }
            timer(host.streamWaitKey);
        }
        catch (RuntimeException ex) {
            this.failures.accept(ex);
        }
    }

    /** Records a sample into the timer of {@code key}, registering the timer on its first sample. */
    void record(TimerKey key, long nanos) {
        try {
            timer(key).record(nanos, TimeUnit.NANOSECONDS);
        }
        catch (RuntimeException ex) {
            this.failures.accept(ex);
        }
    }

    /** Removes every meter registered here from the registry. */
    void removeAll() {
        for (Meter meter : new ArrayList<>(this.meters)) {
            this.registry.remove(meter);
        }
        this.meters.clear();
        this.timers.clear();
    }

    private Timer timer(TimerKey key) {
        Timer timer = this.timers.get(key);
        if (timer != null) {
            return timer;
        }
        return this.timers.computeIfAbsent(key, (k) -> {
            Timer t = k.register(this.registry, this.poolTags);
            this.meters.add(t);
            return t;
        });
    }

    private void add(Meter meter) {
        this.meters.add(meter);
    }
}
