package dev.hotpool.net;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy-style outlier ejection per address of a host: addresses that keep failing get no new connections
 * for a while, longer each time.
 *
 * <ul>
 * <li>{@code consecutive-failures} failures in a row (connect, TLS, mid-exchange I/O, failed probe) eject an
 * address; a response status in {@code eject-on-status} ejects it at once. A success resets the run.</li>
 * <li>An ejection lasts {@code base-ejection-time} × the number of times the address has been ejected, capped
 * at {@code max-ejection-time}, plus up to 10% jitter (never past the cap). When it ends the address is usable
 * again. The count drops by one for every {@code base-ejection-time} the address then spends out of ejection,
 * and a passing health probe after the ejection resets it at once.</li>
 * <li>{@code max-ejection-percent} is enforced when ejecting: an ejection that would put more than
 * {@code floor(n × percent / 100)} of the host's n addresses, or all of them, in ejection at once is <b>not
 * applied</b> — the failure still counts (the run stays at or past the threshold, so the next failure tries
 * again) and the call returns false. A host with a single address is therefore never ejected.
 * {@link #usable} applies the same cap, for when the host's answer shrank under existing ejections.</li>
 * <li>Failures reported while an address is ejected (from connections leased before) are ignored, so they
 * neither extend the ejection nor count towards the next.</li>
 * </ul>
 *
 * <p><b>A host's addresses.</b> The cap needs n. The detector takes the host's current answer from every
 * {@link #usable} call and from {@link #hostAddresses}, which the pool should call when a host's answer
 * changes (an empty list forgets the host). State of addresses that left the answer is dropped, and
 * failures of an address outside a known answer are ignored. For a host never registered, the addresses
 * failures were recorded for are taken as its answer — conservative: with one seen, none is ejected.
 *
 * <p>Thread-safe. Hosts live in a {@link ConcurrentHashMap}; each host's state ({@link HostOutliers}) has its
 * own {@code ReentrantLock} for changes and volatile counters, so {@link #recordSuccess}, {@link #isEjected}
 * and {@link #usable} of a healthy host take no lock. Ejection listeners run on the recording thread after
 * the lock is released. Time comes from the injected clock.
 */
public final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final Settings settings;
    private final Clock clock;
    /** In [0, 1); scales the jitter. */
    private final DoubleSupplier random;
    /** Index: status code; whether it ejects. Avoids boxing on the per-response path. */
    private final boolean[] ejectingStatus = new boolean[600];
    private final ConcurrentHashMap<String, HostOutliers> hosts = new ConcurrentHashMap<>();
    private final List<EjectionListener> listeners = new CopyOnWriteArrayList<>();

    public OutlierDetector(Settings settings, Clock clock) {
        this(settings, clock, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** For tests: {@code random} in [0, 1) scales the jitter; {@code () -> 0} gives none. */
    OutlierDetector(Settings settings, Clock clock, DoubleSupplier random) {
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.random = Objects.requireNonNull(random, "'random' must not be null");
        settings.ejectOnStatus().forEach(status -> this.ejectingStatus[status] = true);
    }

    /**
     * Records a failure of a connection to the address.
     *
     * @return true when this failure ejected the address just now
     */
    public boolean recordFailure(String hostKey, InetAddress address, Failure failure) {
        Objects.requireNonNull(failure, "'failure' must not be null");
        return this.settings.enabled() && fail(hostKey, address, false, failure.name());
    }

    /**
     * Records a response status. A status in {@code eject-on-status} ejects the address at once (subject to
     * {@code max-ejection-percent}); any other status is a success and resets the run of failures.
     *
     * @return true when this status ejected the address just now
     */
    public boolean recordStatus(String hostKey, InetAddress address, int status) {
        if (!this.settings.enabled()) {
            return false;
        }
        if (status >= 0 && status < this.ejectingStatus.length && this.ejectingStatus[status]) {
            return fail(hostKey, address, true, "status " + status);
        }
        recordSuccess(hostKey, address);
        return false;
    }

    /** Records a successful exchange: resets the run of failures, not the ejection multiplier. */
    public void recordSuccess(String hostKey, InetAddress address) {
        reset(hostKey, address, false);
    }

    /**
     * Records a passing health probe: resets the run of failures and, unless the address is still ejected,
     * the ejection multiplier too. It does not end an ejection early.
     */
    public void recordProbePassed(String hostKey, InetAddress address) {
        reset(hostKey, address, true);
    }

    /**
     * Of a host's current addresses, those new connections may use now, in the given order: the ones not
     * ejected, plus — when more than {@code floor(n × max-ejection-percent / 100)} of them are ejected, or all
     * of them — the ones whose ejection ends soonest, so that never more than that share is out and at least
     * one address stays usable. Returns {@code all} itself when nothing is ejected or detection is disabled.
     *
     * <p>Also records {@code all} as the host's answer (see the class comment), so pass the whole answer,
     * not a filtered part of it.
     */
    public List<InetAddress> usable(String hostKey, List<InetAddress> all) {
        Objects.requireNonNull(all, "'all' must not be null");
        if (!this.settings.enabled() || all.isEmpty()) {
            return all;
        }
        HostOutliers host = host(hostKey);
        host.register(all);
        return host.usable(all, this.clock.millis(), maxEjected(all.size()));
    }

    /**
     * Records a host's current answer, for the {@code max-ejection-percent} cap. State of addresses no longer
     * in it is dropped; an empty list forgets the host altogether. {@link #usable} does this as well.
     */
    public void hostAddresses(String hostKey, List<InetAddress> addresses) {
        Objects.requireNonNull(hostKey, "'hostKey' must not be null");
        Objects.requireNonNull(addresses, "'addresses' must not be null");
        if (addresses.isEmpty()) {
            this.hosts.remove(hostKey);
        }
        else if (this.settings.enabled()) {
            host(hostKey).register(addresses);
        }
    }

    /** Whether the address is within an ejection now (regardless of the cap {@link #usable} applies). */
    public boolean isEjected(String hostKey, InetAddress address) {
        Objects.requireNonNull(address, "'address' must not be null");
        HostOutliers host = this.hosts.get(Objects.requireNonNull(hostKey, "'hostKey' must not be null"));
        return host != null && host.isEjected(address, this.clock.millis());
    }

    /** Each address of the host with its state, the registered answer first; empty for an unknown host. */
    public List<AddressState> snapshot(String hostKey) {
        HostOutliers host = this.hosts.get(Objects.requireNonNull(hostKey, "'hostKey' must not be null"));
        return (host != null) ? host.snapshot(this.clock.millis(), this.settings.baseEjectionTime().toMillis())
                : List.of();
    }

    /** Adds a listener called after each ejection, e.g. for the pool to close that address's idle connections. */
    public void onEjection(EjectionListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
    }

    public Settings settings() {
        return this.settings;
    }

    @Override
    public String toString() {
        return "OutlierDetector[" + (this.settings.enabled() ? "enabled" : "disabled") + ", " + this.hosts.size()
                + " hosts]";
    }

    private boolean fail(String hostKey, InetAddress address, boolean immediate, String cause) {
        Objects.requireNonNull(address, "'address' must not be null");
        long now = this.clock.millis();
        HostOutliers.Ejection ejection = host(hostKey).fail(address, now, immediate, cause, this);
        if (ejection == null) {
            return false;
        }
        log.warn("hotpool: ejected {} of {} for {} ms (ejection {}) after {}", address.getHostAddress(), hostKey,
                ejection.until() - now, ejection.ejections(), ejection.why());
        Instant until = Instant.ofEpochMilli(ejection.until());
        for (EjectionListener listener : this.listeners) {
            try {
                listener.ejected(hostKey, address, until);
            }
            catch (RuntimeException ex) {
                log.warn("hotpool: ejection listener {} failed for {} of {}", listener, address.getHostAddress(),
                        hostKey, ex);
            }
        }
        return true;
    }

    private void reset(String hostKey, InetAddress address, boolean probe) {
        Objects.requireNonNull(address, "'address' must not be null");
        HostOutliers host = this.hosts.get(Objects.requireNonNull(hostKey, "'hostKey' must not be null"));
        if (this.settings.enabled() && host != null) {
            host.reset(address, probe, this.clock.millis());
        }
    }

    private HostOutliers host(String hostKey) {
        Objects.requireNonNull(hostKey, "'hostKey' must not be null");
        HostOutliers host = this.hosts.get(hostKey);
        return (host != null) ? host : this.hosts.computeIfAbsent(hostKey, HostOutliers::new);
    }

    /** Most of n addresses that may be ejected at once: the percentage, rounded down, and never all. */
    int maxEjected(int n) {
        return Math.max(0, Math.min(n * this.settings.maxEjectionPercent() / 100, n - 1));
    }

    /** base × ejections capped at max, plus up to 10% jitter, still capped at max. */
    long ejectionMillis(int ejections) {
        long base = this.settings.baseEjectionTime().toMillis();
        long max = this.settings.maxEjectionTime().toMillis();
        long duration = (ejections > max / base) ? max : base * ejections;
        long jitter = (long) (duration * 0.1 * this.random.getAsDouble());
        return Math.min(duration + jitter, max);
    }

    /** What failed. */
    public enum Failure {
        /** The TCP connect to the address failed or timed out. */
        CONNECT,
        /** The TLS handshake failed. */
        TLS,
        /** An I/O error in the middle of an exchange. */
        IO,
        /** A health probe on an idle connection failed. */
        PROBE
    }

    /** Told of each ejection; runs on the thread that recorded the failure, outside any detector lock. */
    @FunctionalInterface
    public interface EjectionListener {

        void ejected(String hostKey, InetAddress address, Instant until);
    }

    /**
     * One address's state, for the actuator.
     *
     * @param ejectedUntil when the current ejection ends, or {@code null} when not ejected
     * @param consecutiveFailures the current run of failures
     * @param ejections the multiplier: times ejected, less one per {@code base-ejection-time} spent out of
     * ejection since, and reset by a passing probe
     */
    public record AddressState(InetAddress address, boolean ejected, Instant ejectedUntil, int consecutiveFailures,
            int ejections) {
    }

    /**
     * The {@code hotpool.outlier.*} settings; validated on construction.
     *
     * @param enabled {@code hotpool.outlier.enabled}: when false nothing is recorded and every address is usable
     * @param consecutiveFailures {@code consecutive-failures}: failures in a row that eject
     * @param ejectOnStatus {@code eject-on-status}: response statuses that eject at once
     * @param baseEjectionTime {@code base-ejection-time}: the first ejection's length, at least 1 ms
     * @param maxEjectionTime {@code max-ejection-time}: the cap on any ejection's length
     * @param maxEjectionPercent {@code max-ejection-percent}: most of a host's addresses ejected at once, 0 to 100
     */
    public record Settings(boolean enabled, int consecutiveFailures, Set<Integer> ejectOnStatus,
            Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

        /** Enabled; 3 failures or a 403 eject; 30 s growing to at most 10 min; at most half of a host's addresses. */
        public static final Settings DEFAULTS = new Settings(true, 3, Set.of(403), Duration.ofSeconds(30),
                Duration.ofMinutes(10), 50);

        public Settings {
            Objects.requireNonNull(ejectOnStatus, "'ejectOnStatus' must not be null");
            if (consecutiveFailures <= 0) {
                throw new IllegalArgumentException("hotpool.outlier.consecutive-failures (" + consecutiveFailures
                        + ") must be greater than 0");
            }
            for (Integer status : ejectOnStatus) {
                if (status == null || status < 100 || status > 599) {
                    throw new IllegalArgumentException("hotpool.outlier.eject-on-status (" + ejectOnStatus
                            + ") must hold only HTTP status codes from 100 to 599");
                }
            }
            if (baseEjectionTime == null || baseEjectionTime.toMillis() < 1) {
                throw new IllegalArgumentException("hotpool.outlier.base-ejection-time (" + baseEjectionTime
                        + ") must be at least 1 ms");
            }
            if (maxEjectionTime == null || maxEjectionTime.compareTo(baseEjectionTime) < 0) {
                throw new IllegalArgumentException("hotpool.outlier.max-ejection-time (" + maxEjectionTime
                        + ") must not be less than hotpool.outlier.base-ejection-time (" + baseEjectionTime + ")");
            }
            if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
                throw new IllegalArgumentException("hotpool.outlier.max-ejection-percent (" + maxEjectionPercent
                        + ") must be from 0 to 100");
            }
            ejectOnStatus = Set.copyOf(ejectOnStatus);
        }
    }
}
