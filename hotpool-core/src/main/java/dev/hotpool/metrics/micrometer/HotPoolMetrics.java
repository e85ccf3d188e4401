package dev.hotpool.metrics.micrometer;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.Origin;
import dev.hotpool.PoolStats;
import dev.hotpool.metrics.PoolListener;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
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
 * a fast-fallback race), tagged {@code outcome} = {@code success} | {@code failure};</li>
 * <li>{@code hotpool.tls.handshake} timer, tagged {@code outcome} = {@code success} | {@code failure} and
 * {@code profile};</li>
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
 */
public final class HotPoolMetrics implements MeterBinder, PoolListener, AutoCloseable {

    /** Timer samples kept from before the first registry was bound. */
    static final int MAX_EARLY_SAMPLES = 1024;

    /** The {@code host} tag of hosts past {@link Options#maxHosts()}. */
    public static final String OTHER_HOSTS = "other";

    private static final Logger logger = LoggerFactory.getLogger(HotPoolMetrics.class);

    private static final long SNAPSHOT_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final String[] REASON_TAGS = new String[CloseReason.values().length];

    static {
        for (CloseReason reason : CloseReason.values()) {
            REASON_TAGS[reason.ordinal()] = tagValue(reason);
        }
    }

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

    private final LongSupplier nanoTime;

    /** The meters of every host when per-host tags are off. */
    private final HostMeters allHosts = new HostMeters(Tags.empty());

    /**
     * Per {@code host} tag value (a {@code host:port}, or {@link #OTHER_HOSTS}): at most {@link Options#maxHosts()}
     * + 1 entries. An entry never leaves, as its meters stay registered.
     */
    private final ConcurrentMap<String, HostMeters> byTag = new ConcurrentHashMap<>();

    /**
     * Per named {@code host:port} (the first {@link Options#maxHosts()} seen): its own meters. An entry never
     * leaves, and none is added past {@code max-hosts}: the hosts after those count into {@link #OTHER_HOSTS}
     * found without an entry, so the map holds at most {@code max-hosts} entries however many hosts are seen.
     */
    private final ConcurrentMap<String, HostMeters> byAuthority = new ConcurrentHashMap<>();

    /** Named hosts so far; never above {@link Options#maxHosts()}. */
    private final AtomicInteger namedHosts = new AtomicInteger();

    private final List<Bound> bound = new CopyOnWriteArrayList<>();

    private final Queue<EarlySample> early = new ConcurrentLinkedQueue<>();

    private final AtomicInteger earlyCount = new AtomicInteger();

    private final AtomicBoolean warned = new AtomicBoolean();

    /** Guards taking a snapshot, so concurrent scrapes take the pool's lock once. */
    private final ReentrantLock snapshotLock = new ReentrantLock();

    private volatile Snapshot snapshot;

    private volatile Supplier<HotPool> poolSource;

    private volatile boolean closed;

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
        this.nanoTime = Objects.requireNonNull(nanoTime, "'nanoTime' must not be null");
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
        this.poolSource = Objects.requireNonNull(pool, "'pool' must not be null");
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
        HotPool pool = pool();
        Bound b = new Bound(registry, Tags.of("pool", pool.config().name()));
        b.registerPoolGauges();
        if (pool.config().proxy().proxy() != null) {
            b.registerProxy(pool.config().proxy().proxy().authority());
        }
        this.bound.add(b);
        if (this.options.perHost()) {
            for (HostMeters m : this.byTag.values()) {
                b.registerHost(m);
            }
        }
        else {
            b.registerHost(this.allHosts);
        }
        this.closed = false;
        recordEarlySamples();
    }

    /** Removes every meter this registered from its registry. Counting goes on; a later {@link #bindTo} resumes. */
    @Override
    public void close() {
        this.closed = true;
        for (Bound b : this.bound) {
            b.removeAll();
        }
        this.bound.clear();
        this.early.clear();
    }

    // ---- the listener ------------------------------------------------------------------------------------

    @Override
    public void connectionOpened(Origin origin, InetAddress address) {
        meters(origin).created.increment();
    }

    @Override
    public void connectionClosed(Origin origin, CloseReason reason) {
        connectionClosed(origin, reason, -1);
    }

    @Override
    public void connectionClosed(Origin origin, CloseReason reason, long ageNanos) {
        HostMeters m = meters(origin);
        m.closed[reason.ordinal()].increment();
        if (ageNanos >= 0 && this.options.naming() == Naming.OTEL) {
            time(m.durationKey, ageNanos);
        }
    }

    @Override
    public void connect(Origin origin, InetAddress address, boolean succeeded, long nanos) {
        HostMeters m = meters(origin);
        time(succeeded ? m.connectSuccessKey : m.connectFailureKey, nanos);
    }

    @Override
    public void handshake(Origin origin, String profile, boolean succeeded, long nanos) {
        HostMeters m = meters(origin);
        time(new TimerKey(TimerKind.HANDSHAKE, m, succeeded ? "success" : "failure",
                profile != null ? profile : "none"), nanos);
    }

    @Override
    public void acquired(Origin origin, long waitNanos, boolean reused) {
        HostMeters m = meters(origin);
        time(m.acquireKey, waitNanos);
    }

    @Override
    public void acquireFailed(Origin origin) {
        meters(origin).timeouts.increment();
    }

    @Override
    public void released(Origin origin, long heldNanos) {
        HostMeters m = meters(origin);
        time(m.usageKey, heldNanos);
    }

    @Override
    public void addressEjected(Origin origin, InetAddress address) {
        meters(origin).ejections.increment();
    }

    // ---- counts, for tests and for the curious ------------------------------------------------------------

    /** Connections opened, all hosts. */
    public long created() {
        long sum = 0;
        for (HostMeters m : hostMeters()) {
            sum += m.created.sum();
        }
        return sum;
    }

    /** Connections closed for {@code reason}, all hosts. */
    public long closed(CloseReason reason) {
        long sum = 0;
        for (HostMeters m : hostMeters()) {
            sum += m.closed[reason.ordinal()].sum();
        }
        return sum;
    }

    /** The tag value of a close reason: {@code IDLE_TIMEOUT} is {@code idle-timeout}. */
    public static String tagValue(CloseReason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return "HotPoolMetrics[" + (this.options.perHost() ? "per-host tags, at most " + this.options.maxHosts()
                + " hosts" : "no host tags") + ", " + this.options.naming().name().toLowerCase(Locale.ROOT)
                + " names, " + this.bound.size() + " registries]";
    }

    // ---- internals ----------------------------------------------------------------------------------------

    private Iterable<HostMeters> hostMeters() {
        return this.options.perHost() ? this.byTag.values() : List.of(this.allHosts);
    }

    private HotPool pool() {
        Supplier<HotPool> source = this.poolSource;
        HotPool pool = source != null ? source.get() : null;
        if (pool == null) {
            throw new IllegalStateException("hotpool: HotPoolMetrics has no pool to read; call monitor(pool) before "
                    + "bindTo(registry)");
        }
        return pool;
    }

    /**
     * The meters an origin counts into; the first event of a new host tag registers its meters. Past
     * {@code max-hosts} named hosts, a new host stores nothing: it is looked up, not found, and counts into
     * {@link #OTHER_HOSTS}.
     */
    private HostMeters meters(Origin origin) {
        if (!this.options.perHost()) {
            return this.allHosts;
        }
        String authority = origin.authority();
        HostMeters m = this.byAuthority.get(authority);
        if (m != null) {
            return m;
        }
        if (this.namedHosts.get() < this.options.maxHosts()) {
            // Null (no entry) when the last name was taken meanwhile.
            m = this.byAuthority.computeIfAbsent(authority, (a) -> claimName()
                    ? this.byTag.computeIfAbsent(a, (t) -> new HostMeters(hostTags(origin))) : null);
        }
        if (m == null) {
            m = otherHosts();
        }
        if (m.announced.compareAndSet(false, true)) {
            for (Bound b : this.bound) {
                b.registerHost(m);
            }
        }
        return m;
    }

    /** Takes one of the {@code max-hosts} names; false when they are all taken. */
    private boolean claimName() {
        int named;
        do {
            named = this.namedHosts.get();
            if (named >= this.options.maxHosts()) {
                return false;
            }
        }
        while (!this.namedHosts.compareAndSet(named, named + 1));
        return true;
    }

    /** The meters of the hosts past {@code max-hosts}, created on first use. */
    private HostMeters otherHosts() {
        HostMeters other = this.byTag.get(OTHER_HOSTS);
        return (other != null) ? other
                : this.byTag.computeIfAbsent(OTHER_HOSTS, (t) -> new HostMeters(hostTags(null)));
    }

    /** The host tags of {@code origin}, or of the hosts past {@code max-hosts} when {@code null}. */
    private Tags hostTags(Origin origin) {
        if (this.options.naming() == Naming.OTEL) {
            if (origin == null) {
                return Tags.of("server.address", OTHER_HOSTS, "server.port", OTHER_HOSTS);
            }
            String host = origin.host();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return Tags.of("server.address", host, "server.port", Integer.toString(origin.port()));
        }
        return Tags.of("host", origin != null ? origin.authority() : OTHER_HOSTS);
    }

    /** How many hosts have their own entry (for tests: never above {@code max-hosts}). */
    int namedHostEntries() {
        return this.byAuthority.size();
    }

    private void time(TimerKey key, long nanos) {
        if (this.bound.isEmpty()) {
            if (!this.closed && this.earlyCount.incrementAndGet() <= MAX_EARLY_SAMPLES) {
                this.early.add(new EarlySample(key, nanos));
                if (!this.bound.isEmpty()) {
                    // Bound meanwhile: make sure this sample is not left behind.
                    recordEarlySamples();
                }
            }
            return;
        }
        for (Bound b : this.bound) {
            b.record(key, nanos);
        }
    }

    private void recordEarlySamples() {
        if (this.bound.isEmpty()) {
            return;
        }
        Bound first = this.bound.get(0);
        EarlySample sample;
        while ((sample = this.early.poll()) != null) {
            first.record(sample.key(), sample.nanos());
        }
    }

    private Snapshot snapshot() {
        long now = this.nanoTime.getAsLong();
        Snapshot s = this.snapshot;
        if (s != null && now - s.takenAt() < SNAPSHOT_MAX_AGE_NANOS) {
            return s;
        }
        this.snapshotLock.lock();
        try {
            s = this.snapshot;
            if (s == null || now - s.takenAt() >= SNAPSHOT_MAX_AGE_NANOS) {
                s = takeSnapshot(now);
                this.snapshot = s;
            }
            return s;
        }
        finally {
            this.snapshotLock.unlock();
        }
    }

    private Snapshot takeSnapshot(long now) {
        PoolStats stats = pool().stats();
        Map<HostMeters, int[]> byHost = new HashMap<>();
        if (this.options.perHost()) {
            // A host without an entry once the names are taken counts as other, as its events do.
            HostMeters other = (this.namedHosts.get() >= this.options.maxHosts()) ? this.byTag.get(OTHER_HOSTS) : null;
            for (PoolStats.HostStats h : stats.hosts()) {
                HostMeters m = this.byAuthority.get(h.origin().authority());
                if (m == null) {
                    m = other;
                }
                if (m != null) {
                    int[] counts = byHost.computeIfAbsent(m, (k) -> new int[ConnectionState.values().length]);
                    counts[ConnectionState.ACTIVE.ordinal()] += h.leased();
                    counts[ConnectionState.IDLE.ordinal()] += h.idle();
                    counts[ConnectionState.PENDING.ordinal()] += h.pending();
                }
            }
        }
        return new Snapshot(stats, byHost, now);
    }

    private double gauge(HostMeters host, ConnectionState state) {
        Snapshot s = snapshot();
        if (host == this.allHosts) {
            PoolStats stats = s.stats();
            return switch (state) {
                case ACTIVE -> stats.leased();
                case IDLE -> stats.idle();
                case PENDING -> stats.pending();
            };
        }
        int[] counts = s.byHost().get(host);
        return counts != null ? counts[state.ordinal()] : 0;
    }

    /** The connections in a state of the routes through the proxy ({@code host:port}), from the snapshot. */
    private double proxyGauge(String proxy, ConnectionState state) {
        int sum = 0;
        for (PoolStats.HostStats h : snapshot().stats().hosts()) {
            if (proxy.equals(h.proxy())) {
                sum += switch (state) {
                    case ACTIVE -> h.leased();
                    case IDLE -> h.idle();
                    case PENDING -> h.pending();
                };
            }
        }
        return sum;
    }

    private void registrationFailed(RuntimeException ex) {
        if (this.warned.compareAndSet(false, true)) {
            logger.warn("hotpool: a meter could not be registered or recorded ({}); hotpool's metrics may be "
                    + "incomplete", ex.toString(), ex);
        }
    }

    /** The values of the {@code state} tag of {@code hotpool.connections}. */
    private enum ConnectionState {

        /** Leased. */
        ACTIVE,

        /** Idle in the pool (or being checked). */
        IDLE,

        /** Leases waiting for a connection. */
        PENDING;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private enum TimerKind {

        ACQUIRE("hotpool.connections.acquire", "Time waited for a connection, connecting included"),

        USAGE("hotpool.connections.usage", "Time a connection was leased"),

        HANDSHAKE("hotpool.tls.handshake", "Time a TLS handshake took"),

        CONNECT("hotpool.connect", "Time a TCP connect attempt took (the one that won, and each that failed)"),

        DURATION("http.client.connection.duration", "The duration of the successfully established outbound HTTP "
                + "connections");

        final String meterName;

        final String description;

        TimerKind(String meterName, String description) {
            this.meterName = meterName;
            this.description = description;
        }
    }

    /** Which timer a sample goes to. Handshake keys are made per event; the others live in {@link HostMeters}. */
    private record TimerKey(TimerKind kind, HostMeters host, String outcome, String profile) {

        Tags tags() {
            Tags tags = this.host.tags;
            if (this.kind == TimerKind.HANDSHAKE) {
                tags = tags.and("outcome", this.outcome, "profile", this.profile);
            }
            else if (this.kind == TimerKind.CONNECT) {
                tags = tags.and("outcome", this.outcome);
            }
            return tags;
        }
    }

    private record EarlySample(TimerKey key, long nanos) {
    }

    /** A snapshot of the pool's counts, and per-host sums of them when hosts are tagged. */
    private record Snapshot(PoolStats stats, Map<HostMeters, int[]> byHost, long takenAt) {
    }

    /** The counts of one {@code host} tag value (or of all hosts). Equality is identity. */
    private static final class HostMeters {

        final Tags tags;

        final LongAdder created = new LongAdder();

        final LongAdder[] closed = new LongAdder[CloseReason.values().length];

        final LongAdder timeouts = new LongAdder();

        final LongAdder ejections = new LongAdder();

        final TimerKey acquireKey;

        final TimerKey usageKey;

        final TimerKey connectSuccessKey;

        final TimerKey connectFailureKey;

        final TimerKey durationKey;

        /** Whether its meters were offered to the registries bound so far. */
        final AtomicBoolean announced = new AtomicBoolean();

        HostMeters(Tags tags) {
            this.tags = tags;
            for (int i = 0; i < this.closed.length; i++) {
                this.closed[i] = new LongAdder();
            }
            this.acquireKey = new TimerKey(TimerKind.ACQUIRE, this, null, null);
            this.usageKey = new TimerKey(TimerKind.USAGE, this, null, null);
            this.connectSuccessKey = new TimerKey(TimerKind.CONNECT, this, "success", null);
            this.connectFailureKey = new TimerKey(TimerKind.CONNECT, this, "failure", null);
            this.durationKey = new TimerKey(TimerKind.DURATION, this, null, null);
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

    /** One registry this was bound to, with the meters registered there. */
    private final class Bound {

        private final MeterRegistry registry;

        private final Tags poolTags;

        private final ConcurrentMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

        private final List<Meter> meters = new CopyOnWriteArrayList<>();

        Bound(MeterRegistry registry, Tags poolTags) {
            this.registry = registry;
            this.poolTags = poolTags;
        }

        void registerPoolGauges() {
            add(Gauge.builder("hotpool.connections.max", HotPoolMetrics.this, (m) -> m.snapshot().stats().maxConnections())
                .tags(this.poolTags)
                .description("Most connections open at once, over all hosts")
                .baseUnit("connections")
                .strongReference(true)
                .register(this.registry));
        }

        void registerProxy(String proxy) {
            try {
                for (ConnectionState state : ConnectionState.values()) {
                    add(Gauge.builder("hotpool.proxy.connections", HotPoolMetrics.this, (m) -> m.proxyGauge(proxy, state))
                        .tags(this.poolTags)
                        .tag("proxy", proxy)
                        .tag("state", state.tag())
                        .description("Connections through the HTTP proxy: leased (active) or idle, and leases "
                                + "waiting for one (pending)")
                        .baseUnit("connections")
                        .strongReference(true)
                        .register(this.registry));
                }
            }
            catch (RuntimeException ex) {
                registrationFailed(ex);
            }
        }

        void registerHost(HostMeters host) {
            try {
                Tags tags = this.poolTags.and(host.tags);
                boolean otel = HotPoolMetrics.this.options.naming() == Naming.OTEL;
                for (ConnectionState state : ConnectionState.values()) {
                    if (otel && state != ConnectionState.PENDING) {
                        add(Gauge.builder("http.client.open_connections", HotPoolMetrics.this,
                                (m) -> m.gauge(host, state))
                            .tags(tags)
                            .tag("http.connection.state", state.tag())
                            .description("Number of outbound HTTP connections that are currently active or idle on "
                                    + "the client")
                            .baseUnit("connections")
                            .strongReference(true)
                            .register(this.registry));
                        continue;
                    }
                    add(Gauge.builder("hotpool.connections", HotPoolMetrics.this, (m) -> m.gauge(host, state))
                        .tags(tags)
                        .tag("state", state.tag())
                        .description("Connections leased (active) or idle, and leases waiting for one (pending)")
                        .baseUnit("connections")
                        .strongReference(true)
                        .register(this.registry));
                }
                add(FunctionCounter.builder("hotpool.connections.created", host.created, LongAdder::doubleValue)
                    .tags(tags)
                    .description("Connections opened (TCP, plus TLS for https)")
                    .baseUnit("connections")
                    .register(this.registry));
                for (CloseReason reason : CloseReason.values()) {
                    add(FunctionCounter
                        .builder("hotpool.connections.closed", host.closed[reason.ordinal()], LongAdder::doubleValue)
                        .tags(tags)
                        .tag("reason", REASON_TAGS[reason.ordinal()])
                        .description("Connections closed, per reason")
                        .baseUnit("connections")
                        .register(this.registry));
                }
                add(FunctionCounter.builder("hotpool.connections.timeout", host.timeouts, LongAdder::doubleValue)
                    .tags(tags)
                    .description("Leases that got no connection: acquire timeout, or too many waiting")
                    .register(this.registry));
                add(FunctionCounter.builder("hotpool.address.ejections", host.ejections, LongAdder::doubleValue)
                    .tags(tags)
                    .description("Addresses ejected as outliers")
                    .register(this.registry));
                timer(host.acquireKey);
                timer(host.usageKey);
            }
            catch (RuntimeException ex) {
                registrationFailed(ex);
            }
        }

        void record(TimerKey key, long nanos) {
            try {
                timer(key).record(nanos, TimeUnit.NANOSECONDS);
            }
            catch (RuntimeException ex) {
                registrationFailed(ex);
            }
        }

        private Timer timer(TimerKey key) {
            Timer timer = this.timers.get(key);
            if (timer != null) {
                return timer;
            }
            return this.timers.computeIfAbsent(key, (k) -> {
                Timer t = Timer.builder(k.kind().meterName)
                    .tags(this.poolTags)
                    .tags(k.tags())
                    .description(k.kind().description)
                    .register(this.registry);
                this.meters.add(t);
                return t;
            });
        }

        private void add(Meter meter) {
            this.meters.add(meter);
        }

        void removeAll() {
            for (Meter meter : new ArrayList<>(this.meters)) {
                this.registry.remove(meter);
            }
            this.meters.clear();
            this.timers.clear();
        }
    }
}
