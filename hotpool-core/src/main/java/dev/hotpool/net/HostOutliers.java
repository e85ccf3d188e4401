package dev.hotpool.net;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's outlier state for {@link OutlierDetector}: its current answer and, per address, the run of
 * failures, the ejection count and when the ejection ends.
 *
 * <p>Thread-safe. Every change happens under {@link #lock}; the answer is replaced, never mutated, and the
 * per-address fields are volatile, so reads on the hot path ({@link #isEjected}, a healthy host's
 * {@link #usable}, a success after a success) take no lock.
 */
final class HostOutliers {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final String hostKey;
    private final ReentrantLock lock = new ReentrantLock();
    /** The host's current answer; empty until registered. Replaced under lock. */
    private volatile List<InetAddress> addresses = List.of();
    /** Added to and removed from under lock only. */
    private final ConcurrentHashMap<InetAddress, Entry> entries = new ConcurrentHashMap<>();

    HostOutliers(String hostKey) {
        this.hostKey = hostKey;
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
     * the cap allows.
     *
     * @return the ejection made, or {@code null}
     */
    Ejection fail(InetAddress address, long now, boolean immediate, String cause, OutlierDetector detector) {
        this.lock.lock();
        try {
            List<InetAddress> answer = this.addresses;
            if (!answer.isEmpty() && !answer.contains(address)) {
                return null; // Left the answer: its connections retire anyway.
            }
            Entry e = this.entries.computeIfAbsent(address, a -> new Entry());
            if (now < e.ejectedUntil) {
                return null; // From a connection leased before the ejection.
            }
            int failures = (e.consecutive == Integer.MAX_VALUE) ? e.consecutive : e.consecutive + 1;
            e.consecutive = failures;
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

    /** Ends the run of failures; with {@code probe}, also the ejection count, unless still ejected. */
    void reset(InetAddress address, boolean probe, long now) {
        Entry e = this.entries.get(address);
        if (e == null || (e.consecutive == 0 && (!probe || e.ejections == 0))) {
            return; // The common case, without the lock.
        }
        this.lock.lock();
        try {
            e.consecutive = 0;
            if (probe && now >= e.ejectedUntil) {
                e.ejections = 0;
            }
        }
        finally {
            this.lock.unlock();
        }
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
        volatile int ejections;
        /** Epoch millis; ejected while the clock is before it. 0 when never ejected. */
        volatile long ejectedUntil;
    }
}
