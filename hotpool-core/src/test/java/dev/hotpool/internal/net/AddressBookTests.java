package dev.hotpool.internal.net;

import dev.hotpool.internal.net.AddressBook.Change;
import dev.hotpool.internal.util.IpLiterals;
import dev.hotpool.net.Resolver;
import dev.hotpool.testsupport.LogCapture;
import dev.hotpool.testsupport.TestClock;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Static pools, the DNS cache and its refresh, with a scripted resolver and a clock moved by hand. */
class AddressBookTests {

    private static final InetAddress A = IpLiterals.parse("203.0.113.1");
    private static final InetAddress B = IpLiterals.parse("203.0.113.2");
    private static final InetAddress C = IpLiterals.parse("2001:db8::3");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private final TestClock clock = new TestClock();
    private final ScriptedResolver dns = new ScriptedResolver();

    private AddressBook book(Map<String, List<String>> staticAddresses) {
        return new AddressBook(staticAddresses, this.dns, FIVE_MINUTES, this.clock);
    }

    @Test
    void staticPoolIsUsedInsteadOfDnsWhateverTheCase() throws Exception {
        AddressBook book = book(Map.of("API.example.com", List.of("203.0.113.7", " 2001:db8::7", "203.0.113.7")));

        assertThat(book.addresses("api.EXAMPLE.com")).containsExactly(IpLiterals.parse("203.0.113.7"),
                IpLiterals.parse("2001:db8::7"));
        assertThat(this.dns.calls("api.example.com")).isZero();
    }

    @Test
    void staticEntryThatIsNotAnIpAddressIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> book(Map.of("api.example.com", List.of("203.0.113.7", "foo"))))
                .withMessage("hotpool.addresses[api.example.com] entry 'foo' is not an IP address");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> book(Map.of("api.example.com", List.of("127.1"))))
                .withMessage("hotpool.addresses[api.example.com] entry '127.1' is not an IP address");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> book(Map.of("api.example.com", Arrays.asList((String) null))))
                .withMessage("hotpool.addresses[api.example.com] entry 'null' is not an IP address");
    }

    @Test
    void staticHostWithoutAddressesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> book(Map.of("api.example.com", List.of())))
                .withMessage("hotpool.addresses[api.example.com] must list at least one IP address");
    }

    @Test
    void staticHostListedTwiceIgnoringCaseIsRefused() {
        Map<String, List<String>> twice = new LinkedHashMap<>();
        twice.put("api.example.com", List.of("203.0.113.7"));
        twice.put("API.example.com", List.of("203.0.113.8"));

        assertThatIllegalArgumentException().isThrownBy(() -> book(twice))
                .withMessage("hotpool.addresses lists API.example.com twice (host names are compared ignoring case)");
    }

    @Test
    void refreshIntervalMustBePositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AddressBook(Map.of(), this.dns, Duration.ZERO, this.clock))
                .withMessage("hotpool.dns.refresh-interval (PT0S) must be greater than 0");
    }

    @Test
    void ipLiteralHostIsItsOwnAnswerWithoutTheResolver() throws Exception {
        AddressBook book = book(Map.of());

        assertThat(book.addresses("203.0.113.7")).containsExactly(IpLiterals.parse("203.0.113.7"));
        assertThat(book.addresses("[2001:db8::7]")).containsExactly(IpLiterals.parse("2001:db8::7"));
        assertThat(book.addresses("::1")).containsExactly(IpLiterals.parse("::1"));
        assertThat(this.dns.total.get()).isZero();
        assertThat(book.refresh()).isEmpty();
    }

    @Test
    void dnsAnswerIsResolvedOnFirstUseAndThenServedFromTheCache() throws Exception {
        this.dns.answer("api.example.com", A, B, C);
        AddressBook book = book(Map.of());

        assertThat(book.addresses("api.example.com")).containsExactly(A, B, C);
        assertThat(book.addresses("API.example.com.")).containsExactly(A, B, C);

        assertThat(this.dns.calls("api.example.com")).isEqualTo(1);
    }

    @Test
    void failedFirstLookupReachesTheCallerAndIsNotCached() throws Exception {
        AddressBook book = book(Map.of());

        assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> book.addresses("api.example.com"));
        this.dns.answer("api.example.com", A);

        assertThat(book.addresses("api.example.com")).containsExactly(A);
        assertThat(this.dns.calls("api.example.com")).isEqualTo(2);
    }

    @Test
    void resolverThatFindsNothingIsAnUnknownHost() {
        this.dns.answer("api.example.com");
        AddressBook book = book(Map.of());

        assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> book.addresses("api.example.com"))
                .withMessage("hotpool: the resolver found no addresses for api.example.com");
    }

    @Test
    void duplicateAddressesInAnAnswerAreDropped() throws Exception {
        this.dns.answer("api.example.com", A, B, A);

        assertThat(book(Map.of()).addresses("api.example.com")).containsExactly(A, B);
    }

    @Test
    void refreshReResolvesAUsedHostOnceItsAnswerIsOlderThanTheInterval() throws Exception {
        this.dns.answer("api.example.com", A, B);
        AddressBook book = book(Map.of());
        book.addresses("api.example.com");
        this.dns.answer("api.example.com", B, C);

        this.clock.advance(FIVE_MINUTES.minusMillis(1));
        assertThat(book.refresh()).isEmpty();
        assertThat(this.dns.calls("api.example.com")).isEqualTo(1);

        this.clock.advance(Duration.ofMillis(1));
        assertThat(book.refresh()).containsExactly(new Change("api.example.com", List.of(A, B), List.of(B, C)));
        assertThat(book.addresses("api.example.com")).containsExactly(B, C);
    }

    @Test
    void hostNotUsedSinceItWasLastResolvedIsNotRefreshedButForgottenAndResolvedOnItsNextLookup() throws Exception {
        this.dns.answer("api.example.com", A);
        AddressBook book = book(Map.of());
        book.addresses("api.example.com");
        this.clock.advance(FIVE_MINUTES);
        book.refresh();

        this.clock.advance(FIVE_MINUTES.multipliedBy(3));
        book.refresh();
        assertThat(this.dns.calls("api.example.com")).isEqualTo(2);
        assertThat(book.cachedHosts()).isZero();

        book.addresses("api.example.com"); // Not cached any more: resolved now.
        book.refresh();
        assertThat(this.dns.calls("api.example.com")).isEqualTo(3);
        assertThat(book.cachedHosts()).isEqualTo(1);
    }

    @Test
    void tenThousandHostsLookedUpOnceAreAllForgottenTwoRefreshesPastTheInterval() throws Exception {
        AddressBook book = book(Map.of());
        for (int i = 0; i < 10_000; i++) {
            this.dns.answer("host" + i + ".example.com", A);
            book.addresses("host" + i + ".example.com");
        }
        assertThat(book.cachedHosts()).isEqualTo(10_000);

        this.clock.advance(FIVE_MINUTES);
        assertThat(book.refresh()).isEmpty(); // Looked up since resolved (the first lookup counts): re-resolved.
        assertThat(book.cachedHosts()).isEqualTo(10_000);
        assertThat(this.dns.total.get()).isEqualTo(20_000);

        this.clock.advance(FIVE_MINUTES.minusMillis(1));
        book.refresh();
        assertThat(book.cachedHosts()).as("not due yet").isEqualTo(10_000);

        this.clock.advance(Duration.ofMillis(1));
        assertThat(book.refresh()).isEmpty();
        assertThat(book.cachedHosts()).isZero();
        assertThat(this.dns.total.get()).isEqualTo(20_000);
        assertThat(book.cached("host7.example.com")).isEmpty();
    }

    @Test
    void answersOfHostsNotInUseAreForgottenAtOnceAndResolvedAgainOnTheirNextLookup() throws Exception {
        AddressBook book = book(Map.of("static.example.com", List.of("203.0.113.7")));
        for (int i = 0; i < 1_000; i++) {
            this.dns.answer("host" + i + ".example.com", A);
            book.addresses("host" + i + ".example.com");
        }
        book.addresses("static.example.com");

        assertThat(book.forgetUnless(host -> host.equals("host1.example.com"))).isEqualTo(999);

        assertThat(book.cachedHosts()).isEqualTo(1);
        assertThat(book.cached("host1.example.com")).containsExactly(A);
        assertThat(book.cached("static.example.com")).as("static hosts are not cached").isNotEmpty();
        book.addresses("host2.example.com");
        assertThat(this.dns.calls("host2.example.com")).isEqualTo(2);
        assertThat(this.dns.calls("host1.example.com")).isEqualTo(1);
    }

    @Test
    void hostLookedUpInEveryIntervalStaysCachedAndIsReResolved() throws Exception {
        this.dns.answer("api.example.com", A);
        AddressBook book = book(Map.of());
        book.addresses("api.example.com");

        for (int i = 1; i <= 5; i++) {
            this.clock.advance(FIVE_MINUTES);
            book.refresh();
            assertThat(book.cachedHosts()).isEqualTo(1);
            assertThat(this.dns.calls("api.example.com")).isEqualTo(1 + i);
            assertThat(book.addresses("api.example.com")).containsExactly(A);
        }

        this.dns.answer("api.example.com", B);
        this.clock.advance(FIVE_MINUTES);
        assertThat(book.refresh()).containsExactly(new Change("api.example.com", List.of(A), List.of(B)));
        assertThat(this.dns.calls("api.example.com")).isEqualTo(7);
    }

    @Test
    void cachedNeverCallsTheResolverAndKeepsNoHostInTheCache() throws Exception {
        this.dns.answer("api.example.com", A, B);
        AddressBook book = book(Map.of("static.example.com", List.of("203.0.113.7")));

        assertThat(book.cached("STATIC.example.com")).containsExactly(IpLiterals.parse("203.0.113.7"));
        assertThat(book.cached("[2001:db8::7]")).containsExactly(IpLiterals.parse("2001:db8::7"));
        assertThat(book.cached("api.example.com")).as("never looked up").isEmpty();
        assertThat(this.dns.total.get()).isZero();
        assertThat(book.cachedHosts()).isZero();

        book.addresses("api.example.com");
        assertThat(book.cached("api.example.com.")).containsExactly(A, B);
        this.clock.advance(FIVE_MINUTES);
        book.refresh(); // Used since resolved: re-resolved, and unused from now on.
        book.cached("api.example.com");
        this.clock.advance(FIVE_MINUTES);
        book.refresh();

        assertThat(book.cached("api.example.com")).as("forgotten: cached() is no use").isEmpty();
        assertThat(this.dns.calls("api.example.com")).isEqualTo(2);
    }

    @Test
    void lookupsRacingWithRemovalsAlwaysGetTheAnswer() throws Exception {
        Duration interval = Duration.ofMillis(1);
        AddressBook book = new AddressBook(Map.of(), this.dns, interval, this.clock);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hosts.add("host" + i + ".example.com");
            this.dns.answer(hosts.get(i), (i % 2 == 0) ? A : B);
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> lookups = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int offset = t;
                lookups.add(threads.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int round = 0; round < 200; round++) {
                        for (int i = 0; i < hosts.size(); i += 1 + offset) {
                            assertThat(book.addresses(hosts.get(i))).containsExactly((i % 2 == 0) ? A : B);
                            n++;
                        }
                    }
                    return n;
                }));
            }
            start.countDown();
            while (!lookups.stream().allMatch(Future::isDone)) {
                this.clock.advance(interval); // Each refresh re-resolves what was used, removes what was not.
                book.refresh();
            }
            for (Future<Integer> f : lookups) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
            }
        }
        finally {
            threads.shutdownNow();
        }
        this.clock.advance(interval);
        book.refresh();
        this.clock.advance(interval);
        book.refresh();
        assertThat(book.cachedHosts()).isZero();
    }

    @Test
    void answerInAnotherOrderIsNoChangeAndKeepsItsOrder() throws Exception {
        this.dns.answer("api.example.com", A, B, C);
        AddressBook book = book(Map.of());
        book.addresses("api.example.com");
        this.dns.answer("api.example.com", C, A, B);
        this.clock.advance(FIVE_MINUTES);

        assertThat(book.refresh()).isEmpty();

        assertThat(book.addresses("api.example.com")).containsExactly(A, B, C);
        assertThat(this.dns.calls("api.example.com")).isEqualTo(2);
    }

    @Test
    void failingRefreshKeepsTheOldAnswerWarnsAndTriesAgainNextTime() throws Exception {
        this.dns.answer("api.example.com", A, B);
        AddressBook book = book(Map.of());
        book.addresses("api.example.com");
        this.dns.fail("api.example.com");
        this.clock.advance(FIVE_MINUTES);

        try (LogCapture log = new LogCapture(AddressBook.class)) {
            assertThat(book.refresh()).isEmpty();

            assertThat(log.messages()).containsExactly("hotpool: re-resolving api.example.com failed; keeping its 2 "
                    + "addresses [203.0.113.1, 203.0.113.2] resolved 300 s ago: java.net.UnknownHostException: "
                    + "api.example.com: scripted failure");
        }
        assertThat(book.addresses("api.example.com")).containsExactly(A, B);

        this.dns.answer("api.example.com", A);
        this.clock.advance(Duration.ofSeconds(30));
        assertThat(book.refresh()).containsExactly(new Change("api.example.com", List.of(A, B), List.of(A)));
    }

    @Test
    void resolverThrowingAnUncheckedExceptionOnRefreshIsLoggedNotPropagated() throws Exception {
        this.dns.answer("api.example.com", A);
        AddressBook book = book(Map.of());
        book.addresses("api.example.com");
        this.dns.explode = true;
        this.clock.advance(FIVE_MINUTES);

        try (LogCapture log = new LogCapture(AddressBook.class)) {
            assertThat(book.refresh()).isEmpty();
            assertThat(log.messages()).singleElement().asString().contains("IllegalStateException");
        }
        assertThat(book.addresses("api.example.com")).containsExactly(A);
    }

    @Test
    void concurrentFirstLookupsOfAHostMakeOneQuery() throws Exception {
        this.dns.answer("api.example.com", A);
        CountDownLatch release = new CountDownLatch(1);
        this.dns.gate = release;
        AddressBook book = book(Map.of());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<InetAddress>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(threads.submit(() -> book.addresses("api.example.com")));
            }
            release.countDown();
            for (Future<List<InetAddress>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).containsExactly(A);
            }
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(this.dns.calls("api.example.com")).isEqualTo(1);
    }

    @Test
    void systemResolverTakesAnIpLiteralWithoutDns() throws Exception {
        assertThat(Resolver.SYSTEM.resolve("127.0.0.1")).containsExactly(IpLiterals.parse("127.0.0.1"));
    }

    @Test
    void changeCopiesItsLists() {
        List<InetAddress> before = new ArrayList<>(List.of(A));
        Change change = new Change("api.example.com", before, List.of(B));
        before.add(C);

        assertThat(change.before()).containsExactly(A);
    }

    /** Answers from a script; counts the queries per host. Thread-safe. */
    private static final class ScriptedResolver implements Resolver {

        private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        volatile CountDownLatch gate;
        volatile boolean explode;

        void answer(String host, InetAddress... addresses) {
            this.answers.put(host, Arrays.asList(addresses));
        }

        void fail(String host) {
            this.answers.remove(host);
        }

        int calls(String host) {
            AtomicInteger n = this.calls.get(host);
            return (n != null) ? n.get() : 0;
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            this.total.incrementAndGet();
            this.calls.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            CountDownLatch gate = this.gate;
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            if (this.explode) {
                throw new IllegalStateException("resolver broke");
            }
            List<InetAddress> answer = this.answers.get(host);
            if (answer == null) {
                throw new UnknownHostException(host + ": scripted failure");
            }
            return new ArrayList<>(answer);
        }
    }
}
