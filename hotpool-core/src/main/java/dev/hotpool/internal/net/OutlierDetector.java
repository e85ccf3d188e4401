package dev.hotpool.internal.net;

import dev.hotpool.net.OutlierSettings;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

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
 * <li>A run of failures is consecutive in time too: a failure {@code max-ejection-time} or more after the
 * run's previous one starts a new run, so a run spread wider than that never ejects.</li>
 * </ul>
 *
 * <p><b>What is kept, and for how long.</b> State is kept only for hosts with something to remember: a run of
 * failures, an ejection in effect, or an ejection count that has not decayed to zero. A host gets state on its first
 * failure, never on {@link #usable} or {@link #hostAddresses} (a host that only connects costs nothing), and not
 * even then when its known answer is too small for any address to be ejected (a single address, or
 * {@code max-ejection-percent} 0). Its state leaves when nothing is left to remember: at once when a success or a passing
 * probe leaves it so, or on {@link #forgetQuiet} (which the pool's health check calls) once no address is ejected,
 * every count has decayed to zero and every run is {@code max-ejection-time} old; and when {@link #hostAddresses} is
 * given an empty answer. An ejected address therefore stays ejected for its whole ejection, and its count decays as
 * if nothing had been dropped. So the number of hosts tracked follows the hosts failing lately, not the hosts ever
 * seen.
 *
 * <p><b>A host's addresses.</b> The cap needs n. A host's state takes the host's answer when it is created,
 * from the {@code answers} lookup given at construction (the pool passes its {@link AddressBook#cached}
 * answers), and then from every {@link #usable} call and from {@link #hostAddresses}, which the pool should
 * call when a host's answer changes. State of addresses that left the answer is dropped, and failures of an
 * address outside a known answer are ignored. For a host whose answer is not known (no lookup, or it found
 * nothing), the addresses failures were recorded for are taken as its answer — conservative: with one seen,
 * none is ejected.
 *
 * <p>Thread-safe. Hosts live in a {@link ConcurrentHashMap}; each host's state ({@link HostOutliers}) has its
 * own {@code ReentrantLock} for changes and volatile counters, so {@link #recordSuccess}, {@link #isEjected}
 * and {@link #usable} of a healthy host take no lock, and of a host without state allocate nothing. State is
 * dropped only under its host's lock and marked dead there; a failure that finds it dead is counted on a new
 * state, so a drop never loses a failure. Ejection listeners run on the recording thread after the lock is
 * released. Time comes from the injected clock.
 *
 * <p>API: {@link OutlierSettings} only. The rest is the engine's, public only because the engine and the HTTP layer,
 * in other packages, use it.
 */
public final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    /** The lookup of a detector given none: no host's answer is known before it is registered. */
    private static final Function<String, List<InetAddress>> NO_ANSWERS = hostKey -> List.of();

    private final OutlierSettings settings;
    private final Clock clock;
    /** In [0, 1); scales the jitter. */
    private final DoubleSupplier random;
    /** Index: status code; whether it ejects. Avoids boxing on the per-response path. */
    private final boolean[] ejectingStatus = new boolean[600];
    /** Host key to the host's current addresses, for a host's new state; empty when not known. */
    private final Function<String, List<InetAddress>> answers;
    /**
     * Host key to its state, only while it has something to remember (see the class comment): an entry is
     * added on a host's first failure and leaves when a success or probe leaves it with nothing to remember,
     * on {@link #forgetQuiet}, or on an empty {@link #hostAddresses}.
     */
    private final ConcurrentHashMap<String, HostOutliers> hosts = new ConcurrentHashMap<>();
    private final List<EjectionListener> listeners = new CopyOnWriteArrayList<>();

    /** A detector that knows no host's answer before {@link #usable} or {@link #hostAddresses} gives it. */
    public OutlierDetector(OutlierSettings settings, Clock clock) {
        this(settings, clock, NO_ANSWERS);
    }

    /**
     * @param answers the host's current addresses by host key ({@code host:port}, IPv6 in brackets, as
     *     {@link dev.hotpool.Origin#authority()} gives it; {@link #hostOf} takes the host out of it), e.g.
     *     {@code hostKey -> addressBook.cached(OutlierDetector.hostOf(hostKey))}; an empty list when not known.
     *     Asked when a host without state fails, for the {@code max-ejection-percent} cap; it must be cheap,
     *     thread-safe, must not block and must not call back into this detector.
     */
    public OutlierDetector(OutlierSettings settings, Clock clock, Function<String, List<InetAddress>> answers) {
        this(settings, clock, answers, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** For tests: {@code random} in [0, 1) scales the jitter; {@code () -> 0} gives none. */
    OutlierDetector(OutlierSettings settings, Clock clock, DoubleSupplier random) {
        this(settings, clock, NO_ANSWERS, random);
    }

    /** For tests: {@code random} in [0, 1) scales the jitter; {@code () -> 0} gives none. */
    OutlierDetector(OutlierSettings settings, Clock clock, Function<String, List<InetAddress>> answers,
            DoubleSupplier random) {
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.answers = Objects.requireNonNull(answers, "'answers' must not be null");
        this.random = Objects.requireNonNull(random, "'random' must not be null");
        settings.ejectOnStatus().forEach(status -> this.ejectingStatus[status] = true);
    }

    /**
     * The host of a host key: {@code api.example.com} of {@code api.example.com:443}, {@code 2001:db8::1} of
     * {@code [2001:db8::1]:443}. A key without a port is returned as it is (without brackets).
     */
    public static String hostOf(String hostKey) {
        Objects.requireNonNull(hostKey, "'hostKey' must not be null");
        if (hostKey.startsWith("[")) {
            int close = hostKey.indexOf(']');
            return (close > 0) ? hostKey.substring(1, close) : hostKey;
        }
        int colon = hostKey.indexOf(':');
        return (colon >= 0 && colon == hostKey.lastIndexOf(':')) ? hostKey.substring(0, colon) : hostKey;
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
     * <p>For a host with state, also records {@code all} as the host's answer (see the class comment), so pass
     * the whole answer, not a filtered part of it. For a host without state, returns {@code all} and creates
     * nothing: no lock, no allocation.
     */
    public List<InetAddress> usable(String hostKey, List<InetAddress> all) {
        Objects.requireNonNull(all, "'all' must not be null");
        if (!this.settings.enabled() || all.isEmpty()) {
            return all;
        }
        HostOutliers host = this.hosts.get(Objects.requireNonNull(hostKey, "'hostKey' must not be null"));
        if (host == null) {
            return all;
        }
        host.register(all);
        return host.usable(all, this.clock.millis(), maxEjected(all.size()));
    }

    /**
     * Records a host's current answer, for the {@code max-ejection-percent} cap, if the host has state (a host
     * without state gets nothing: its next failure takes the answer from the lookup). State of addresses no
     * longer in it is dropped; an empty list forgets the host altogether. {@link #usable} does this as well.
     */
    public void hostAddresses(String hostKey, List<InetAddress> addresses) {
        Objects.requireNonNull(hostKey, "'hostKey' must not be null");
        Objects.requireNonNull(addresses, "'addresses' must not be null");
        HostOutliers host = this.hosts.get(hostKey);
        if (host == null) {
            return;
        }
        if (addresses.isEmpty()) {
            host.forget(this.hosts);
        }
        else if (this.settings.enabled()) {
            host.register(addresses);
        }
    }

    /**
     * Drops the state of every host with nothing left to remember: no address ejected now, every ejection
     * count decayed to zero by now, and no run of failures whose last failure is less than
     * {@code max-ejection-time} ago. Dropping such a state changes no later decision. Hosts busy recording at
     * the moment are left for the next call. For the pool's periodic health check; visits every tracked host,
     * which are only those that failed lately.
     *
     * @return how many hosts were dropped
     */
    public int forgetQuiet() {
        long now = this.clock.millis();
        long base = this.settings.baseEjectionTime().toMillis();
        long max = this.settings.maxEjectionTime().toMillis();
        int dropped = 0;
        for (HostOutliers host : this.hosts.values()) {
            if (host.forgetIfQuiet(now, base, max, this.hosts)) {
                dropped++;
            }
        }
        return dropped;
    }

    /** How many hosts have state now. */
    public int trackedHosts() {
        return this.hosts.size();
    }

    /** Whether the address is within an ejection now (regardless of the cap {@link #usable} applies). */
    public boolean isEjected(String hostKey, InetAddress address) {
        Objects.requireNonNull(address, "'address' must not be null");
        HostOutliers host = this.hosts.get(Objects.requireNonNull(hostKey, "'hostKey' must not be null"));
        return host != null && host.isEjected(address, this.clock.millis());
    }

    /**
     * Each address of the host with its state, the registered answer first; empty for a host without state
     * (nothing ejected, no failures to show).
     */
    public List<AddressState> snapshot(String hostKey) {
        HostOutliers host = this.hosts.get(Objects.requireNonNull(hostKey, "'hostKey' must not be null"));
        return (host != null) ? host.snapshot(this.clock.millis(), this.settings.baseEjectionTime().toMillis())
                : List.of();
    }

    /** Adds a listener called after each ejection, e.g. for the pool to close that address's idle connections. */
    public void onEjection(EjectionListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
    }

    public OutlierSettings settings() {
        return this.settings;
    }

    @Override
    public String toString() {
        return "OutlierDetector[" + (this.settings.enabled() ? "enabled" : "disabled") + ", " + this.hosts.size()
                + " hosts]";
    }

    private boolean fail(String hostKey, InetAddress address, boolean immediate, String cause) {
        Objects.requireNonNull(address, "'address' must not be null");
        Objects.requireNonNull(hostKey, "'hostKey' must not be null");
        long now = this.clock.millis();
        HostOutliers.Ejection ejection;
        do {
            HostOutliers host = this.hosts.get(hostKey);
            if (host == null) {
                List<InetAddress> answer = answer(hostKey); // Outside computeIfAbsent: the lookup is foreign code.
                if (!answer.isEmpty() && maxEjected(answer.size()) == 0) {
                    return false; // A host none of whose addresses may ever be ejected: nothing to remember.
                }
                host = this.hosts.computeIfAbsent(hostKey, k -> new HostOutliers(k, answer));
            }
            ejection = host.fail(address, now, immediate, cause, this);
        }
        while (ejection == HostOutliers.RETIRED); // Dropped meanwhile: count it on the host's new state.
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
            host.reset(address, probe, this.clock.millis(), this.settings.baseEjectionTime().toMillis(),
                    this.settings.maxEjectionTime().toMillis(), this.hosts);
        }
    }

    /** The lookup's answer for the host; empty when it has none or fails (a failure must still be counted). */
    private List<InetAddress> answer(String hostKey) {
        try {
            List<InetAddress> answer = this.answers.apply(hostKey);
            if (answer == null || answer.isEmpty()) {
                return List.of();
            }
            return answer.stream().filter(Objects::nonNull).toList(); // Once per new state: off the hot path.
        }
        catch (RuntimeException ex) {
            log.warn("hotpool: the answers lookup failed for {}; counting its failures without its answer",
                    hostKey, ex);
            return List.of();
        }
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
}
