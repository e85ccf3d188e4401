package dev.hotpool.metrics.micrometer;

import dev.hotpool.Origin;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Tags;

/**
 * Which {@link HostMeters} an origin counts into, and the cap on how many there are. Without host tags every origin
 * counts into one. With them ({@code per-host-tags}, or OpenTelemetry's names), the first {@code max-hosts} distinct
 * {@code host:port}s get their own and every later host shares {@link HotPoolMetrics#OTHER_HOSTS}; a new host tag's
 * meters are handed once to the {@code announce} callback, which registers them in the registries bound.
 *
 * <p>Memory: at most {@code max-hosts} + 1 entries however many hosts are seen (a crawler sees millions). Entries
 * never leave, as their meters stay registered.
 *
 * <p>Thread-safe without a lock of its own: concurrent maps, and an atomic count of the names taken that never
 * passes {@code max-hosts}.
 */
final class HostMeterTable {

    private final boolean perHost;

    private final int maxHosts;

    private final MeterNaming naming;

    /** Registers a new host tag's meters in every registry bound; called once per entry of {@link #byTag}. */
    private final Consumer<HostMeters> announce;

    /** The meters of every host when hosts are not tagged. */
    private final HostMeters allHosts = new HostMeters(Tags.empty());

    /**
     * Per host tag value (a {@code host:port}, or {@link HotPoolMetrics#OTHER_HOSTS}): at most {@code max-hosts} + 1
     * entries. An entry never leaves, as its meters stay registered.
     */
    private final ConcurrentMap<String, HostMeters> byTag = new ConcurrentHashMap<>();

    /**
     * Per named {@code host:port} (the first {@code max-hosts} seen): its own meters. An entry never leaves, and none
     * is added past {@code max-hosts}: the hosts after those count into {@link HotPoolMetrics#OTHER_HOSTS} found
     * without an entry, so the map holds at most {@code max-hosts} entries however many hosts are seen.
     */
    private final ConcurrentMap<String, HostMeters> byAuthority = new ConcurrentHashMap<>();

    /** Named hosts so far; never above {@code max-hosts}. */
    private final AtomicInteger namedHosts = new AtomicInteger();

    HostMeterTable(HotPoolMetrics.Options options, MeterNaming naming, Consumer<HostMeters> announce) {
        this.perHost = options.perHost();
        this.maxHosts = options.maxHosts();
        this.naming = naming;
        this.announce = announce;
    }

    /** Whether hosts are tagged: with per-host tags, and always with OpenTelemetry's names. */
    boolean perHost() {
        return this.perHost;
    }

    /** The meters every host counts into when hosts are not tagged; their gauges read the pool's totals. */
    HostMeters allHosts() {
        return this.allHosts;
    }

    /** Every host tag's meters so far, or {@link #allHosts()} alone when hosts are not tagged. */
    Iterable<HostMeters> all() {
        return this.perHost ? this.byTag.values() : List.of(this.allHosts);
    }

    /**
     * The meters an origin counts into; the first event of a new host tag announces its meters. Past
     * {@code max-hosts} named hosts, a new host stores nothing: it is looked up, not found, and counts into
     * {@link HotPoolMetrics#OTHER_HOSTS}.
     */
    HostMeters meters(Origin origin) {
        if (!this.perHost) {
            return this.allHosts;
        }
        String authority = origin.authority();
        HostMeters m = this.byAuthority.get(authority);
        if (m != null) {
            return m;
        }
        if (this.namedHosts.get() < this.maxHosts) {
            // Null (no entry) when the last name was taken meanwhile.
            m = this.byAuthority.computeIfAbsent(authority, (a) -> claimName()
                    ? this.byTag.computeIfAbsent(a, (t) -> new HostMeters(this.naming.hostTags(origin))) : null);
        }
        if (m == null) {
            m = otherHosts();
        }
        // A read first: past max-hosts every event of every thread comes here for the one other-hosts entry, and a
        // compare-and-set takes its cache line for writing even when it fails (x86).
        if (!m.announced.get() && m.announced.compareAndSet(false, true)) {
            this.announce.accept(m);
        }
        return m;
    }

    /** The meters of a named {@code host:port}, or {@code null} when it has none (not seen, or past the cap). */
    HostMeters named(String authority) {
        return this.byAuthority.get(authority);
    }

    /**
     * The meters of the hosts past {@code max-hosts} once every name is taken, or {@code null} before: a host without
     * an entry then counts as other, as its events do.
     */
    HostMeters otherOnceNamesTaken() {
        return (this.namedHosts.get() >= this.maxHosts) ? this.byTag.get(HotPoolMetrics.OTHER_HOSTS) : null;
    }

    /** How many hosts have their own entry (never above {@code max-hosts}). */
    int namedHostEntries() {
        return this.byAuthority.size();
    }

    /** Takes one of the {@code max-hosts} names; false when they are all taken. */
    private boolean claimName() {
        int named;
        do {
            named = this.namedHosts.get();
            if (named >= this.maxHosts) {
                return false;
            }
        }
        while (!this.namedHosts.compareAndSet(named, named + 1));
        return true;
    }

    /** The meters of the hosts past {@code max-hosts}, created on first use. */
    private HostMeters otherHosts() {
        HostMeters other = this.byTag.get(HotPoolMetrics.OTHER_HOSTS);
        return (other != null) ? other : this.byTag.computeIfAbsent(HotPoolMetrics.OTHER_HOSTS,
                (t) -> new HostMeters(this.naming.hostTags(null)));
    }
}
