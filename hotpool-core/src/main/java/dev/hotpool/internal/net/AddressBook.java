package dev.hotpool.internal.net;

import dev.hotpool.internal.util.IpLiterals;
import dev.hotpool.net.Resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each host is: its static pool from {@code hotpool.addresses[host]} when configured, otherwise its
 * DNS answer, cached and refreshed every {@code hotpool.dns.refresh-interval} while the host is in use.
 *
 * <ul>
 * <li>Host names are compared ignoring case, IPv6 brackets and a trailing dot. An IP-literal host is its own
 * answer and never reaches the resolver.</li>
 * <li>A DNS answer is resolved on first use and then kept while the host is looked up. {@link #refresh}
 * visits the answers older than the interval ("due"): one that was used ({@link #addresses} called) since
 * it was last resolved is re-resolved, the first lookup counting as a use; one that was not is
 * <b>removed</b>. So a host leaves the cache between one and two refresh intervals after its last lookup
 * (given refresh runs often, as the health check does), and the next lookup resolves it again. The pool
 * should call {@code addresses} whenever it opens a connection, which is a cache hit. {@link #cached} reads
 * the cache without counting as a use.</li>
 * <li>Answers are compared as sets: a resolver that only rotates the order (round-robin DNS) is no change,
 * and the old order is kept. Duplicates are dropped. A resolver that fails, or finds nothing, on refresh
 * leaves the old answer in place (logged at WARN) and is asked again on the next refresh; on first use its
 * {@link UnknownHostException} reaches the caller and nothing is cached, so the next lookup asks again.</li>
 * </ul>
 *
 * <p>Static hosts and IP literals are never cached. The pool removes a host's answer with {@link #forget} when it
 * removes the host's last route, and its health check removes, with {@link #forgetUnless}, any left of hosts it
 * has no route to. So the cache holds the host names in
 * use, those looked up since the last health check, and those whose first lookup is under way; never every host
 * ever seen.
 *
 * <p>Thread-safe. Answers sit in a {@link ConcurrentHashMap}, each in a holder whose fields are volatile, so
 * a cached lookup takes no lock. Each holder has a {@link ReentrantLock} held while resolving it, so
 * concurrent first lookups of one host make one DNS query and other hosts are not held up; {@code refresh}
 * skips a host being resolved, and removes a holder only under its lock. A lookup that got hold of a holder
 * just before its removal still returns that holder's (resolved) answer; the use is lost with the holder, so
 * the next lookup finds no entry and resolves again. No lock is held while calling anything but the resolver.
 *
 * <p>Thread-safe.
 */
public final class AddressBook {

    private static final Logger log = LoggerFactory.getLogger(AddressBook.class);

    /** A host whose answer changed on {@link #refresh}; both lists are in resolver order. */
    public record Change(String host, List<InetAddress> before, List<InetAddress> after) {

        public Change {
            Objects.requireNonNull(host, "'host' must not be null");
            before = List.copyOf(before);
            after = List.copyOf(after);
        }
    }

    /** Lower-case host to its static pool. */
    private final Map<String, List<InetAddress>> staticAddresses;
    private final Resolver resolver;
    private final Duration refreshInterval;
    private final Clock clock;
    /**
     * Normalized host name to its DNS answer. An entry is added on a host's first lookup and leaves on the first
     * {@link #refresh} that finds it due and unused since it was last resolved, or when the first lookup fails.
     */
    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();

    /**
     * @param staticAddresses {@code hotpool.addresses}: host to IP literals, used instead of DNS for that host
     * @param resolver the DNS, usually {@link Resolver#SYSTEM}
     * @param refreshInterval {@code hotpool.dns.refresh-interval}
     * @throws IllegalArgumentException for an entry that is not an IP literal, e.g.
     *     {@code hotpool.addresses[api.example.com] entry 'foo' is not an IP address}, a host without entries,
     *     a host listed twice, or an interval that is not positive
     */
    public AddressBook(Map<String, List<String>> staticAddresses, Resolver resolver, Duration refreshInterval,
            Clock clock) {
        Objects.requireNonNull(staticAddresses, "'staticAddresses' must not be null");
        this.resolver = Objects.requireNonNull(resolver, "'resolver' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("hotpool.dns.refresh-interval (" + refreshInterval
                    + ") must be greater than 0");
        }
        this.refreshInterval = refreshInterval;
        this.staticAddresses = parseStatic(staticAddresses);
    }

    private static Map<String, List<InetAddress>> parseStatic(Map<String, List<String>> config) {
        Map<String, List<InetAddress>> parsed = new HashMap<>();
        for (Map.Entry<String, List<String>> entry : config.entrySet()) {
            String host = entry.getKey();
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("hotpool.addresses has an entry without a host name");
            }
            List<String> literals = entry.getValue();
            if (literals == null || literals.isEmpty()) {
                throw new IllegalArgumentException("hotpool.addresses[" + host + "] must list at least one IP address");
            }
            Set<InetAddress> addresses = new LinkedHashSet<>();
            for (String literal : literals) {
                InetAddress address = IpLiterals.parse((literal != null) ? literal.trim() : null);
                if (address == null) {
                    throw new IllegalArgumentException("hotpool.addresses[" + host + "] entry '" + literal
                            + "' is not an IP address");
                }
                addresses.add(address);
            }
            if (parsed.put(IpLiterals.normalizeHost(host.trim()), List.copyOf(addresses)) != null) {
                throw new IllegalArgumentException("hotpool.addresses lists " + host
                        + " twice (host names are compared ignoring case)");
            }
        }
        return Map.copyOf(parsed);
    }

    /**
     * The host's addresses: its static pool, itself for an IP literal, or its cached DNS answer (resolved now
     * on first use). Never empty.
     *
     * @throws UnknownHostException when the first lookup fails or finds nothing
     */
    public List<InetAddress> addresses(String host) throws UnknownHostException {
        String key = IpLiterals.normalizeHost(Objects.requireNonNull(host, "'host' must not be null"));
        List<InetAddress> fixed = this.staticAddresses.get(key);
        if (fixed != null) {
            return fixed;
        }
        Answer answer = this.answers.get(key);
        if (answer != null && answer.addresses != null) {
            answer.markUsed();
            return answer.addresses;
        }
        InetAddress literal = IpLiterals.parse(key);
        if (literal != null) {
            return List.of(literal);
        }
        answer = this.answers.computeIfAbsent(key, k -> new Answer());
        answer.lock.lock();
        try {
            if (answer.addresses == null) {
                try {
                    answer.addresses = resolve(key);
                }
                catch (UnknownHostException | RuntimeException ex) {
                    this.answers.remove(key, answer); // Cache no failures; the next lookup asks again.
                    throw ex;
                }
                answer.resolvedAt = this.clock.millis();
            }
            answer.markUsed();
            return answer.addresses;
        }
        finally {
            answer.lock.unlock();
        }
    }

    /**
     * The host's addresses as far as they are known now, never asking the resolver: its static pool, itself for
     * an IP literal, or its cached DNS answer. Empty for a host name not in the cache (never looked up, being
     * looked up for the first time, or forgotten). Does not count as a use of the answer, so it keeps no host
     * in the cache.
     */
    public List<InetAddress> cached(String host) {
        String key = IpLiterals.normalizeHost(Objects.requireNonNull(host, "'host' must not be null"));
        List<InetAddress> fixed = this.staticAddresses.get(key);
        if (fixed != null) {
            return fixed;
        }
        Answer answer = this.answers.get(key);
        List<InetAddress> addresses = (answer != null) ? answer.addresses : null;
        if (addresses != null) {
            return addresses;
        }
        InetAddress literal = IpLiterals.parse(key);
        return (literal != null) ? List.of(literal) : List.of();
    }

    /** How many host names have an entry in the DNS cache, first lookups under way included. */
    public int cachedHosts() {
        return this.answers.size();
    }

    /**
     * Visits the answers due (older than the refresh interval): re-resolves those used since they were last
     * resolved and removes the others from the cache.
     *
     * @return the hosts whose answer changed, with the old and the new answer; empty when none did. A removal
     *     is not a change: the host's next lookup resolves it afresh, and connections opened before (no new
     *     one was opened for a whole interval) keep their address until they close for another reason
     */
    public List<Change> refresh() {
        long now = this.clock.millis();
        long interval = this.refreshInterval.toMillis();
        List<Change> changes = new ArrayList<>(0);
        for (Map.Entry<String, Answer> entry : this.answers.entrySet()) {
            String host = entry.getKey();
            Answer answer = entry.getValue();
            if (answer.addresses == null || now - answer.resolvedAt < interval || !answer.lock.tryLock()) {
                continue;
            }
            try {
                if (now - answer.resolvedAt < interval) {
                    continue; // Resolved by a concurrent refresh since it was read above.
                }
                if (!answer.used) {
                    // Due and not looked up for a whole interval: forget it. Under the lock, so no first
                    // lookup is resolving it; a lookup holding the holder still gets its answer.
                    this.answers.remove(host, answer);
                    continue;
                }
                List<InetAddress> before = answer.addresses;
                answer.used = false; // Before resolving, so a use meanwhile is not lost.
                List<InetAddress> after;
                try {
                    after = resolve(host);
                }
                catch (UnknownHostException | RuntimeException ex) {
                    answer.used = true;
                    log.warn("hotpool: re-resolving {} failed; keeping its {} addresses {} resolved {} s ago: {}",
                            host, before.size(), IpLiterals.describe(before), (now - answer.resolvedAt) / 1000, ex.toString());
                    continue;
                }
                answer.resolvedAt = now;
                if (!new HashSet<>(before).equals(new HashSet<>(after))) {
                    answer.addresses = after;
                    changes.add(new Change(host, before, after));
                }
            }
            finally {
                answer.lock.unlock();
            }
        }
        return changes;
    }

    /**
     * Removes the cached answers of the hosts for which {@code inUse} is false; the pool's health check calls it with
     * whether it has a route (a connection or a waiting lease) to the host, so the cache follows the hosts in use.
     * A host removed is resolved again on its next lookup; one being resolved now is left alone.
     *
     * @return how many answers were removed
     */
    public int forgetUnless(Predicate<String> inUse) {
        Objects.requireNonNull(inUse, "'inUse' must not be null");
        int removed = 0;
        for (Map.Entry<String, Answer> entry : this.answers.entrySet()) {
            if (!inUse.test(entry.getKey()) && remove(entry.getKey(), entry.getValue())) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Removes the cached answer of one host, which the pool no longer has a route to; it is resolved again on its
     * next lookup. Does nothing while its first lookup is under way. Cheap and non-blocking: the pool calls it as
     * it removes a host's last route.
     */
    public void forget(String host) {
        String key = IpLiterals.normalizeHost(Objects.requireNonNull(host, "'host' must not be null"));
        Answer answer = this.answers.get(key);
        if (answer != null) {
            remove(key, answer);
        }
    }

    /** Removes a resolved answer under its lock (so no first lookup is resolving it); false when it cannot. */
    private boolean remove(String key, Answer answer) {
        if (answer.addresses == null || !answer.lock.tryLock()) {
            return false;
        }
        try {
            return this.answers.remove(key, answer);
        }
        finally {
            answer.lock.unlock();
        }
    }

    private List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> found = this.resolver.resolve(host);
        Set<InetAddress> distinct = new LinkedHashSet<>();
        if (found != null) {
            found.stream().filter(Objects::nonNull).forEach(distinct::add);
        }
        if (distinct.isEmpty()) {
            throw new UnknownHostException("hotpool: the resolver found no addresses for " + host);
        }
        return List.copyOf(distinct);
    }

    @Override
    public String toString() {
        return "AddressBook[static hosts=" + this.staticAddresses.keySet() + ", cached hosts=" + this.answers.size()
                + ", refresh-interval=" + this.refreshInterval + "]";
    }

    /** One host's DNS answer. Written under lock; read without. */
    private static final class Answer {

        final ReentrantLock lock = new ReentrantLock();
        /** Null until first resolved; then never empty. */
        volatile List<InetAddress> addresses;
        /** Epoch millis of the last successful resolution. */
        volatile long resolvedAt;
        /** Whether addresses() was called since the last resolution (the first lookup counts). */
        volatile boolean used;

        void markUsed() {
            if (!this.used) {
                this.used = true; // Read first: no write, no cache-line traffic, on the hot path.
            }
        }
    }
}
