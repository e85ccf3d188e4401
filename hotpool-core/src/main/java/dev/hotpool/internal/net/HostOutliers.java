package dev.hotpool.internal.net;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's outlier state for {@link OutlierDetector}: its current answer and, per address, the run of
 * failures, the ejection count and when the ejection ends.
 *
 * <p>Kept by the detector only while there is something to remember (see {@link #quiet}). Once dropped it is
 * <b>dead</b>: marked so and removed from the detector's map in one step under {@link #lock}, and never
 * alive again. A failure that finds it dead is not counted here ({@link #fail} returns {@link #RETIRED}) but
 * on the host's new state, so no failure is lost into a dropped object. Reads of a dead object are harmless:
 * it was dropped with nothing ejected, or on purpose ({@link #forget}).
 *
 * <p>Thread-safe. Every change happens under {@link #lock}; the answer is replaced, never mutated, and the
 * per-address fields are volatile, so reads on the hot path ({@link #isEjected}, a healthy host's
 * {@link #usable}, a success after a success) take no lock.
 */
final class HostOutliers {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    /**
     * What {@link #fail} returns when this state was dropped before the failure could be counted: the caller
     * counts it on the host's new state instead. Compared by identity.
     */
    static final Ejection RETIRED = new Ejection(null, 0, 0, "state dropped; count on the new state");

    private final String hostKey;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * The host's current answer; empty when not known (then the addresses with entries stand in). Replaced
     * under lock.
     */
    private volatile List<InetAddress> addresses;
    /**
     * Per address of the answer (or, with no answer, per address failures were seen for). Added to and removed
     * from under lock only: an entry leaves when its address leaves the answer ({@link #register}) or with the
     * whole host. Bounded by the answer, or by the addresses that failed.
     */
    private final ConcurrentHashMap<InetAddress, Entry> entries = new ConcurrentHashMap<>();
    /** Whether dropped from the detector's map; never false again once true. Guarded by lock. */
    private boolean dead;

    /** @param answer the host's current answer, from the detector's lookup; may be empty */
    HostOutliers(String hostKey, List<InetAddress> answer) {
        this.hostKey = hostKey;
        this.addresses = List.copyOf(answer);
    }

    /** Takes the answer as the host's; drops the state of addresses no longer in it. */
    void register(List<InetAddress> all) {
        if (all.equals(this.addresses)) {
            return;
        }
        this.lock.lock();
        try {
            this.addresses = List.copyOf(all);
            this.entries.keySet().retainAll(new HashSet<>(all));
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Counts a failure and ejects when the run reaches the threshold, or at once when {@code immediate}, and
     * the cap allows. A failure {@code max-ejection-time} or more after the previous one of the run starts a
     * new run: a run spread wider than that never ejects (and a run that old is {@link #quiet}).
     *
     * @return the ejection made, {@code null} for none, or {@link #RETIRED} when this state is dead and the
     *     failure was not counted
     */
    Ejection fail(InetAddress address, long now, boolean immediate, String cause, OutlierDetector detector) {
        this.lock.lock();
        try {
            if (this.dead) {
                return RETIRED;
            }
            List<InetAddress> answer = this.addresses;
            if (!answer.isEmpty() && !answer.contains(address)) {
                return null; // Left the answer: its connections retire anyway.
            }
            Entry e = this.entries.computeIfAbsent(address, a -> new Entry());
            if (now < e.ejectedUntil) {
                return null; // From a connection leased before the ejection.
            }
            if (e.consecutive > 0 && staleRun(e, now, detector.settings().maxEjectionTime().toMillis())) {
                e.consecutive = 0;
            }
            int failures = (e.consecutive == Integer.MAX_VALUE) ? e.consecutive : e.consecutive + 1;
            e.consecutive = failures;
            e.lastFailureAt = now;
            if (!immediate && failures < detector.settings().consecutiveFailures()) {
                return null;
            }
            int n = answer.isEmpty() ? this.entries.size() : answer.size();
            int ejectedNow = 0;
            for (Entry other : this.entries.values()) {
                if (now < other.ejectedUntil) {
                    ejectedNow++;
                }
            }
            if (ejectedNow >= detector.maxEjected(n)) {
                log.debug("hotpool: not ejecting {} of {} after {}: {} of its {} addresses ejected already "
                        + "(hotpool.outlier.max-ejection-percent {})", address.getHostAddress(), this.hostKey, cause,
                        ejectedNow, n, detector.settings().maxEjectionPercent());
                return null;
            }
            e.ejections = decayed(e, now, detector.settings().baseEjectionTime().toMillis()) + 1;
            e.consecutive = 0;
            e.ejectedUntil = now + detector.ejectionMillis(e.ejections);
            String why = immediate ? cause : failures + " consecutive failures, the last " + cause;
            return new Ejection(address, e.ejectedUntil, e.ejections, why);
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Ends the run of failures; with {@code probe}, also the ejection count, unless still ejected. When that
     * leaves the host {@link #quiet}, drops it from {@code hosts} (see the class comment).
     */
    void reset(InetAddress address, boolean probe, long now, long baseMillis, long maxMillis,
            Map<String, HostOutliers> hosts) {
        Entry e = this.entries.get(address);
        if (e == null || (e.consecutive == 0 && (!probe || e.ejections == 0))) {
            return; // The common case, without the lock.
        }
        this.lock.lock();
        try {
            if (this.dead) {
                return;
            }
            e.consecutive = 0;
            if (probe && now >= e.ejectedUntil) {
                e.ejections = 0;
            }
            if (quiet(now, baseMillis, maxMillis)) {
                drop(hosts);
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Drops this host from {@code hosts} if it is {@link #quiet}; skips it (returns false) when its lock is
     * taken, as it is busy then.
     *
     * @return whether it was dropped just now
     */
    boolean forgetIfQuiet(long now, long baseMillis, long maxMillis, Map<String, HostOutliers> hosts) {
        if (!this.lock.tryLock()) {
            return false;
        }
        try {
            if (this.dead || !quiet(now, baseMillis, maxMillis)) {
                return false;
            }
            drop(hosts);
            return true;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Drops this host from {@code hosts} whatever its state, e.g. when its answer is gone. */
    void forget(Map<String, HostOutliers> hosts) {
        this.lock.lock();
        try {
            if (!this.dead) {
                drop(hosts);
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Caller holds the lock. Dead first, so whoever locks this next sees it dead and looks the host up again. */
    private void drop(Map<String, HostOutliers> hosts) {
        this.dead = true;
        hosts.remove(this.hostKey, this);
    }

    /**
     * Whether nothing is left to remember, so dropping this changes no decision: no address ejected now, every
     * ejection count decayed to zero by now, and no run of failures younger than {@code max-ejection-time}
     * (an older one restarts on its next failure anyway). The answer is not worth keeping on its own: the
     * detector's lookup gives it again. Caller holds the lock.
     */
    private boolean quiet(long now, long baseMillis, long maxMillis) {
        for (Entry e : this.entries.values()) {
            boolean liveRun = e.consecutive > 0 && !staleRun(e, now, maxMillis);
            if (liveRun || now < e.ejectedUntil || decayed(e, now, baseMillis) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the run's last failure is {@code max-ejection-time} or more ago. */
    private static boolean staleRun(Entry e, long now, long maxMillis) {
        return now - e.lastFailureAt >= maxMillis;
    }

    boolean isEjected(InetAddress address, long now) {
        Entry e = this.entries.get(address);
        return e != null && now < e.ejectedUntil;
    }

    /** See {@link OutlierDetector#usable}; {@code maxEjected} is the cap for {@code all.size()} addresses. */
    List<InetAddress> usable(List<InetAddress> all, long now, int maxEjected) {
        long[] until = new long[all.size()];
        List<Integer> ejected = new ArrayList<>(0);
        for (int i = 0; i < until.length; i++) {
            Entry e = this.entries.get(all.get(i));
            until[i] = (e != null) ? e.ejectedUntil : 0;
            if (now < until[i]) {
                ejected.add(i);
            }
        }
        if (ejected.isEmpty()) {
            return all;
        }
        ejected.sort(Comparator.comparingLong(i -> until[i]));
        Set<Integer> spared = new HashSet<>(ejected.subList(0, Math.max(0, ejected.size() - maxEjected)));
        List<InetAddress> usable = new ArrayList<>(all.size());
        for (int i = 0; i < until.length; i++) {
            if (now >= until[i] || spared.contains(i)) {
                usable.add(all.get(i));
            }
        }
        return List.copyOf(usable);
    }

    /**
     * The ejection count less one for every {@code baseMillis} the address has spent out of ejection since its
     * last one ended (Envoy lowers its multiplier the same way while a host stays healthy), never below zero.
     */
    private static int decayed(Entry e, long now, long baseMillis) {
        if (e.ejections == 0 || now < e.ejectedUntil) {
            return e.ejections;
        }
        long steps = (now - e.ejectedUntil) / baseMillis;
        return (int) Math.max(0, e.ejections - steps);
    }

    /** Every address, the registered answer first; ejection counts as decayed by now. */
    List<OutlierDetector.AddressState> snapshot(long now, long baseMillis) {
        List<OutlierDetector.AddressState> states = new ArrayList<>();
        this.lock.lock();
        try {
            Set<InetAddress> all = new LinkedHashSet<>(this.addresses);
            all.addAll(this.entries.keySet());
            for (InetAddress address : all) {
                Entry e = this.entries.get(address);
                boolean ejected = e != null && now < e.ejectedUntil;
                states.add(new OutlierDetector.AddressState(address, ejected,
                        ejected ? Instant.ofEpochMilli(e.ejectedUntil) : null, (e != null) ? e.consecutive : 0,
                        (e != null) ? decayed(e, now, baseMillis) : 0));
            }
        }
        finally {
            this.lock.unlock();
        }
        return List.copyOf(states);
    }

    /** An ejection just made: until is epoch millis; why is for the log. */
    record Ejection(InetAddress address, long until, int ejections, String why) {
    }

    /** Per address. Written under the host's lock; read without. */
    private static final class Entry {

        volatile int consecutive;
        /** Epoch millis of the last failure counted in the run; meaningful while consecutive is above 0. */
        volatile long lastFailureAt;
        volatile int ejections;
        /** Epoch millis; ejected while the clock is before it. 0 when never ejected. */
        volatile long ejectedUntil;
    }
}
