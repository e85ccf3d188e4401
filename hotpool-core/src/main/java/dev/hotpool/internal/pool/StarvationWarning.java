package dev.hotpool.internal.pool;

import dev.hotpool.internal.pool.PoolEntry.State;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why a lease failed when every connection of its route was leased — the mark of responses never closed, which
 * otherwise starve every caller of the host silently until a garbage collection reclaims them. Such a failure (the
 * acquire timeout, or a full line of waiting leases) gets a sentence in its exception naming the longest holder, and a
 * WARN at most once per {@link #INTERVAL_MILLIS} per pool names the route (its origin only), how many connections
 * are leased and, for the {@link #HOLDERS} longest-held leases, how long and by which thread, with the stack of where
 * each was taken when leak detection is on.
 *
 * <p>What it reads is recorded at the start of each lease by {@link LeaseEvents#begin}: the time and the thread's name
 * (cheap), and the leak watch's stack only when leak detection captured one anyway.
 *
 * <p>Thread-safe: {@link #noteLocked} runs under the pool's lock (which guards {@link #nextWarnAt} and
 * {@link #suppressed}) and only builds the report; {@link #logPending()} logs it after the lock is released.
 */
final class StarvationWarning {

    /** At most one warning per pool this often (pool-clock millis), however many routes starve meanwhile. */
    static final long INTERVAL_MILLIS = 30_000;

    /** How many of the longest-held leases a warning lists. */
    static final int HOLDERS = 3;

    private static final Logger log = LoggerFactory.getLogger(StarvationWarning.class);

    private final String poolName;
    private final boolean leakDetection;
    /** Guarded by the pool's lock: when the next warning may be logged (pool-clock millis). */
    private long nextWarnAt = Long.MIN_VALUE;
    /** Guarded by the pool's lock: starved failures since the last warning, not warned of themselves. */
    private int suppressed;
    /** A warning decided under the lock, logged by whichever thread comes out of it first. */
    private final AtomicReference<Report> pending = new AtomicReference<>();

    StarvationWarning(String poolName, boolean leakDetection) {
        this.poolName = poolName;
        this.leakDetection = leakDetection;
    }

    /** One lease of a starved route, as the warning shows it. */
    private record Holder(long id, long heldMillis, String thread, Exception leasedAt) {

        String describe() {
            return "#" + this.id + " for " + this.heldMillis + " ms by thread '" + this.thread + "'";
        }
    }

    /** A warning to log. */
    private record Report(String message, Exception stacks) {
    }

    /**
     * A lease of route {@code r} is about to fail ({@code what} says how). Under the pool's lock. When every
     * connection of the route is leased, returns a sentence to end the exception's message with (from its period) and,
     * once per interval, leaves a warning for {@link #logPending()}; otherwise returns the empty string.
     *
     * @param now the pool clock's millis, for the interval
     */
    String noteLocked(RoutePool r, String what, long now) {
        int leased = r.counts().leased();
        if (leased == 0 || leased != r.total()) {
            return "";
        }
        long nanos = System.nanoTime();
        List<Holder> holders = new ArrayList<>(leased);
        for (PoolEntry e = r.firstMember(); e != null; e = r.nextMember(e)) {
            if (e.state != State.LEASED) {
                continue;
            }
            if (e.multiplex() == null) {
                addHolder(holders, e, e, nanos);
            }
            else {
                for (StreamLease s : e.streams()) {
                    addHolder(holders, e, s, nanos);
                }
            }
        }
        holders.sort(Comparator.comparingLong(Holder::heldMillis).reversed());
        String origin = r.route().origin().toString();
        Holder top = holders.isEmpty() ? null : holders.get(0);
        String sentence = (leased == 1 ? ". The one connection to " + origin + " was leased"
                : ". All " + leased + " connections to " + origin + " were leased")
                + (top == null ? "" : (leased == 1 ? ", for " : ", the longest for ") + top.heldMillis()
                        + " ms by thread '" + top.thread() + "'") + ".";
        if (now < this.nextWarnAt) {
            this.suppressed++;
            return sentence;
        }
        this.nextWarnAt = now + INTERVAL_MILLIS;
        List<Holder> oldest = holders.subList(0, Math.min(HOLDERS, holders.size()));
        StringBuilder message = new StringBuilder(256).append(this.poolName).append(" - every connection to ")
                .append(origin).append(" is leased (").append(leased).append(" of ").append(leased).append(") and ")
                .append(what);
        if (this.suppressed > 0) {
            message.append(" (").append(this.suppressed).append(" more such failure(s) since the last warning)");
            this.suppressed = 0;
        }
        message.append(". Longest-held leases: ");
        for (int i = 0; i < oldest.size(); i++) {
            message.append(i == 0 ? "" : "; ").append(oldest.get(i).describe());
        }
        message.append(". A response that is neither closed nor read to its end keeps its connection: close the "
                + "response (ClientHttpResponse) or read its body to the end");
        message.append(this.leakDetection ? "; where each lease was taken follows."
                : "; set hotpool.leak-detection-threshold to log where leases are taken.");
        message.append(" At most one such warning every ").append(INTERVAL_MILLIS / 1000).append(" s.");
        this.pending.set(new Report(message.toString(), stacks(oldest)));
        return sentence;
    }

    /** Logs the warning left by {@link #noteLocked}, if any. Outside the pool's lock. */
    void logPending() {
        Report report = this.pending.getAndSet(null);
        if (report != null) {
            log.warn(report.message(), report.stacks());
        }
    }

    /** The stacks where the leases were taken, the first as the cause shown and the others suppressed in it. */
    private static Exception stacks(List<Holder> holders) {
        Exception first = null;
        for (Holder h : holders) {
            if (h.leasedAt() == null) {
                continue;
            }
            Exception site = new Exception("lease " + h.describe() + " was taken here");
            site.setStackTrace(h.leasedAt().getStackTrace());
            if (first == null) {
                first = site;
            }
            else {
                first.addSuppressed(site);
            }
        }
        return first;
    }

    /** A lease as a holder, when it was begun by a caller (not a warm-up or a check). */
    private static void addHolder(List<Holder> holders, PoolEntry connection, Held lease, long nanos) {
        LeakDetector.Watch watch = lease.leakWatch; // Volatile: read first, so the fields begin() set before are seen.
        long since = lease.leasedAtNanos;
        if (since != 0) {
            holders.add(new Holder(connection.id, TimeUnit.NANOSECONDS.toMillis(nanos - since), lease.leasedBy,
                    watch.leasedAt()));
        }
    }
}
