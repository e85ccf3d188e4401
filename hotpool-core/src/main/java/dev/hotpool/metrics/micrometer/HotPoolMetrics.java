package dev.hotpool.metrics.micrometer;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.Origin;
import dev.hotpool.metrics.PoolListener;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Micrometer meters of a {@link HotPool}: a {@link PoolListener} that counts the pool's events, and a
 * {@link MeterBinder} that publishes them with the pool's gauges.
 *
 * <p>The listener has to be in the pool's settings before the pool is built, and the gauges need the pool, so
 * wiring takes three steps:
 * <pre>{@code
 * HotPoolMetrics metrics = new HotPoolMetrics(HotPoolMetrics.Options.DEFAULTS);
 * HotPool pool = new HotPool(HotPoolConfig.builder().listener(metrics).build());
 * metrics.monitor(pool).bindTo(registry);
 * }</pre>
 *
 * <p>Meters, each tagged {@code pool} (the pool's name) and, with {@link Options#perHostTags()}, {@code host}
 * ({@code host:port}; past {@link Options#maxHosts()} distinct hosts, {@code other}):
 * <ul>
 * <li>{@code hotpool.connections} gauge, tagged {@code state} = {@code active} (leased), {@code idle} or
 * {@code pending} (leases waiting for a connection);</li>
 * <li>{@code hotpool.connections.max} gauge: the global limit (tagged {@code pool} only);</li>
 * <li>{@code hotpool.connections.created} and {@code hotpool.connections.closed} (tag {@code reason}:
 * {@code idle-timeout}, {@code max-lifetime}, … one per {@link CloseReason}) counters;</li>
 * <li>{@code hotpool.connections.acquire} timer (wait for a lease, connecting included) and
 * {@code hotpool.connections.timeout} counter (leases that got no connection);</li>
 * <li>{@code hotpool.connections.usage} timer (how long a lease was held);</li>
 * <li>{@code hotpool.connect} timer: each TCP connect attempt that gave a connection or failed (not those that lost
 * a fast-fallback race), tagged {@code outcome} = {@code success} | {@code failure} and {@code protocol} =
 * {@code h2} | {@code http/1.1} | {@code none} (what the connection agreed: by ALPN, or {@code h2} for a host's
 * {@code h2c}; {@code none} when nothing was, as for plain HTTP/1.1 and every failure);</li>
 * <li>{@code hotpool.tls.handshake} timer, tagged {@code outcome} = {@code success} | {@code failure},
 * {@code profile} and {@code protocol} (what ALPN agreed, as above);</li>
 * <li>{@code hotpool.streams.active} gauge: streams leased on HTTP/2 connections; {@code hotpool.streams.limit}
 * gauge: how many the HTTP/2 connections that take new streams may carry at once (the sum of their limits);
 * {@code hotpool.streams.wait} timer: leases that waited in line for a stream (only those);</li>
 * <li>{@code hotpool.address.ejections} counter;</li>
 * <li>{@code hotpool.proxy.connections} gauge, only when {@code hotpool.proxy.url} names a proxy: tagged
 * {@code proxy} ({@code host:port}, never its credentials) and {@code state} as {@code hotpool.connections}, the
 * connections of the routes through that proxy. (Proxies the JVM's settings choose per request get no gauge; the
 * endpoint shows them.)</li>
 * </ul>
 *
 * <p>With {@link Naming#OTEL} ({@code hotpool.metrics.naming: otel}) the connection gauges follow the OpenTelemetry
 * semantic conventions for HTTP clients instead: {@code http.client.open_connections} tagged
 * {@code http.connection.state} = {@code active} | {@code idle} (leases waiting stay {@code hotpool.connections}
 * with {@code state=pending}), and {@code http.client.connection.duration}, a timer of how long each connection
 * that opened stayed open. Every meter then carries {@code server.address} and {@code server.port} (required by the
 * conventions) in place of {@code host}, per host whatever {@link Options#perHostTags()} says, bounded by
 * {@link Options#maxHosts()} as {@code host} is (the rest: {@code other}). The other meters keep their names.
 *
 * <p>Counters count from the pool's start, also before {@link #bindTo} (they read this object's own adders).
 * Timer samples taken before the first {@code bindTo} (a warm-up at startup) are kept, up to
 * {@value #MAX_EARLY_SAMPLES}, and recorded into the first registry bound. Gauges read a snapshot of
 * {@link HotPool#stats()} taken at most once a second, so a scrape takes the pool's lock at most once a second
 * whatever the number of gauges or registries.
 *
 * <p>Thread-safe. The listener methods take no lock of their own on their usual path, never throw and never
 * call back into the pool; the first event of a new host registers that host's meters (once).
 *
 * <p>This class is the public face; each job is a package-private class: the names and tags ({@code MeterNaming},
 * {@code TimerKind}), which meters an origin counts into and their cap ({@code HostMeterTable}, {@code HostMeters}),
 * what the gauges read ({@code PoolGauges}), where timer samples go ({@code Timers}) and what was registered in each
 * registry ({@code BoundRegistry}).
 */
public final class HotPoolMetrics implements MeterBinder, PoolListener, AutoCloseable {

    /** Timer samples kept from before the first registry was bound. */
    static final int MAX_EARLY_SAMPLES = 1024;

    /** The {@code host} tag of hosts past {@link Options#maxHosts()}. */
    public static final String OTHER_HOSTS = "other";

    private static final Logger logger = LoggerFactory.getLogger(HotPoolMetrics.class);

    /** The names of the connection meters ({@code hotpool.metrics.naming}). */
    public enum Naming {

        /** {@code hotpool.connections} with {@code state} and {@code host}: the names since the first release. */
        HOTPOOL,

        /**
         * OpenTelemetry's semantic conventions: {@code http.client.open_connections},
         * {@code http.client.connection.duration},
         * {@code server.address} and {@code server.port}.
         */
        OTEL
    }

    /**
     * How hosts are tagged and meters named.
     *
     * @param perHostTags whether meters carry a {@code host} tag ({@code hotpool.metrics.per-host-tags}); off by
     *     default, as every host then multiplies the number of time series
     * @param maxHosts how many distinct hosts get their own {@code host} tag before the rest share
     *     {@code host=other} ({@code hotpool.metrics.max-hosts})
     * @param naming the names of the connection meters ({@code hotpool.metrics.naming})
     */
    public record Options(boolean perHostTags, int maxHosts, Naming naming) {

        /** No host tags; 100 hosts at most when they are switched on; hotpool's own names. */
        public static final Options DEFAULTS = new Options(false, 100, Naming.HOTPOOL);

        public Options {
            if (maxHosts < 0) {
                throw new IllegalArgumentException("hotpool.metrics.max-hosts (" + maxHosts + ") must not be negative");
            }
            Objects.requireNonNull(naming, "'naming' must not be null");
        }

        /** With hotpool's own names. */
        public Options(boolean perHostTags, int maxHosts) {
            this(perHostTags, maxHosts, Naming.HOTPOOL);
        }

        /** Whether meters are kept per host: with per-host tags, and always with {@link Naming#OTEL}. */
        boolean perHost() {
            return this.perHostTags || this.naming == Naming.OTEL;
        }
    }

    private final Options options;

    private final MeterNaming naming;

    private final HostMeterTable hosts;

    private final PoolGauges gauges;

    /** The registries bound, in order; only {@link #bindTo} adds and only {@link #close()} removes. */
    private final List<BoundRegistry> bound = new CopyOnWriteArrayList<>();

    private final Timers timers;

    /** Whether a registration failure was logged: once per instance. */
    private final AtomicBoolean warned = new AtomicBoolean();

    /** Meters with {@link Options#DEFAULTS}. */
    public HotPoolMetrics() {
        this(Options.DEFAULTS);
    }

    public HotPoolMetrics(Options options) {
        this(options, System::nanoTime);
    }

    /** For tests: {@code nanoTime} decides when the gauges' snapshot is a second old. */
    HotPoolMetrics(Options options, LongSupplier nanoTime) {
        this.options = Objects.requireNonNull(options, "'options' must not be null");
        this.naming = new MeterNaming(options.naming());
        this.hosts = new HostMeterTable(options, this.naming, this::announce);
        this.gauges = new PoolGauges(Objects.requireNonNull(nanoTime, "'nanoTime' must not be null"), this.hosts);
        this.timers = new Timers(this.bound, MAX_EARLY_SAMPLES);
    }

    /** The pool whose gauges and name ({@code pool} tag) this publishes; the one this listens to. */
    public HotPoolMetrics monitor(HotPool pool) {
        Objects.requireNonNull(pool, "'pool' must not be null");
        return monitor(() -> pool);
    }

    /**
     * As {@link #monitor(HotPool)}, for containers that build the pool after this listener: {@code pool} is
     * called on the first {@link #bindTo} or gauge read, not now.
     */
    public HotPoolMetrics monitor(Supplier<HotPool> pool) {
        this.gauges.monitor(Objects.requireNonNull(pool, "'pool' must not be null"));
        return this;
    }

    public Options options() {
        return this.options;
    }

    /**
     * Registers the meters with {@code registry}. May be called for several registries; each gets every meter.
     *
     * @throws IllegalStateException when no pool was given to {@link #monitor}
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "'registry' must not be null");
        HotPool pool = this.gauges.pool();
        BoundRegistry b = new BoundRegistry(registry, Tags.of(MeterNaming.POOL, pool.config().name()), this.gauges,
                this.naming, this::registrationFailed);
        b.registerPoolGauges();
        if (pool.config().proxy().proxy() != null) {
            b.registerProxy(pool.config().proxy().proxy().authority());
        }
        // Bound before its hosts are registered, so a host announced meanwhile is not missed (twice is harmless).
        this.bound.add(b);
        for (HostMeters m : this.hosts.all()) {
            b.registerHost(m);
        }
        this.timers.resume();
    }

    /** Removes every meter this registered from its registry. Counting goes on; a later {@link #bindTo} resumes. */
    @Override
    public void close() {
        this.timers.stop();
        for (BoundRegistry b : this.bound) {
            b.removeAll();
        }
        this.bound.clear();
        this.timers.clear();
    }

    // ---- the listener ------------------------------------------------------------------------------------

    @Override
    public void connectionOpened(Origin origin, InetAddress address) {
        this.hosts.meters(origin).created.increment();
    }

    @Override
    public void connectionClosed(Origin origin, CloseReason reason) {
        connectionClosed(origin, reason, -1);
    }

    @Override
    public void connectionClosed(Origin origin, CloseReason reason, long ageNanos) {
        HostMeters m = this.hosts.meters(origin);
        m.closed(reason).increment();
        if (ageNanos >= 0 && this.naming.timesConnectionDuration()) {
            this.timers.record(m.durationKey, ageNanos);
        }
    }

    /** As the five-argument event, with protocol {@code none}. */
    @Override
    public void connect(Origin origin, InetAddress address, boolean succeeded, long nanos) {
        connect(origin, address, succeeded, nanos, NO_PROTOCOL);
    }

    @Override
    public void connect(Origin origin, InetAddress address, boolean succeeded, long nanos, String protocol) {
        this.timers.record(this.hosts.meters(origin).connectKey(succeeded, protocol), nanos);
    }

    /** As the five-argument event, with protocol {@code none}. */
    @Override
    public void handshake(Origin origin, String profile, boolean succeeded, long nanos) {
        handshake(origin, profile, succeeded, nanos, NO_PROTOCOL);
    }

    @Override
    public void handshake(Origin origin, String profile, boolean succeeded, long nanos, String protocol) {
        this.timers.record(this.hosts.meters(origin).handshakeKey(succeeded, profile, protocol), nanos);
    }

    @Override
    public void streamWaited(Origin origin, long waitNanos) {
        this.timers.record(this.hosts.meters(origin).streamWaitKey, waitNanos);
    }

    @Override
    public void acquired(Origin origin, long waitNanos, boolean reused) {
        this.timers.record(this.hosts.meters(origin).acquireKey, waitNanos);
    }

    @Override
    public void acquireFailed(Origin origin) {
        this.hosts.meters(origin).timeouts.increment();
    }

    @Override
    public void released(Origin origin, long heldNanos) {
        this.timers.record(this.hosts.meters(origin).usageKey, heldNanos);
    }

    @Override
    public void addressEjected(Origin origin, InetAddress address) {
        this.hosts.meters(origin).ejections.increment();
    }

    // ---- counts, for tests and for the curious ------------------------------------------------------------

    /** Connections opened, all hosts. */
    public long created() {
        long sum = 0;
        for (HostMeters m : this.hosts.all()) {
            sum += m.created.sum();
        }
        return sum;
    }

    /** Connections closed for {@code reason}, all hosts. */
    public long closed(CloseReason reason) {
        long sum = 0;
        for (HostMeters m : this.hosts.all()) {
            sum += m.closed(reason).sum();
        }
        return sum;
    }

    /** The tag value of a close reason: {@code IDLE_TIMEOUT} is {@code idle-timeout}. */
    public static String tagValue(CloseReason reason) {
        return MeterNaming.tagValue(reason);
    }

    @Override
    public String toString() {
        return "HotPoolMetrics[" + (this.options.perHost() ? "per-host tags, at most " + this.options.maxHosts()
                + " hosts" : "no host tags") + ", " + this.naming.name() + " names, " + this.bound.size()
                + " registries]";
    }

    // ---- internals ----------------------------------------------------------------------------------------

    /** How many hosts have their own entry (for tests: never above {@code max-hosts}). */
    int namedHostEntries() {
        return this.hosts.namedHostEntries();
    }

    /** A new host tag's meters go to every registry bound so far. */
    private void announce(HostMeters m) {
        for (BoundRegistry b : this.bound) {
            b.registerHost(m);
        }
    }

    private void registrationFailed(RuntimeException ex) {
        if (this.warned.compareAndSet(false, true)) {
            logger.warn("hotpool: a meter could not be registered or recorded ({}); hotpool's metrics may be "
                    + "incomplete", ex.toString(), ex);
        }
    }
}
