package dev.hotpool.internal.net;

import dev.hotpool.internal.net.OutlierDetector.AddressState;
import dev.hotpool.internal.net.OutlierDetector.Failure;
import dev.hotpool.internal.util.IpLiterals;
import dev.hotpool.net.OutlierSettings;
import dev.hotpool.testsupport.LogCapture;
import dev.hotpool.testsupport.TestClock;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Ejection per address, its growing length, the max-ejection-percent cap and probes, on a clock moved by hand. */
class OutlierDetectorTests {

    private static final String HOST = "api.example.com:443";
    private static final InetAddress A = IpLiterals.parse("203.0.113.1");
    private static final InetAddress B = IpLiterals.parse("203.0.113.2");
    private static final InetAddress C = IpLiterals.parse("203.0.113.3");
    private static final List<InetAddress> ABC = List.of(A, B, C);

    private final TestClock clock = new TestClock();
    /** What the detectors' answers lookup finds per host key, as the pool's AddressBook would; empty when absent. */
    private final Map<String, List<InetAddress>> known = new ConcurrentHashMap<>();
    private OutlierDetector detector = withoutJitter(OutlierSettings.DEFAULTS);

    private OutlierDetector withoutJitter(OutlierSettings settings) {
        return new OutlierDetector(settings, this.clock, this::lookup, () -> 0);
    }

    private List<InetAddress> lookup(String hostKey) {
        return this.known.getOrDefault(hostKey, List.of());
    }

    /**
     * What the pool does before connecting: the host's answer is in the address book (here, in what the
     * detector's answers lookup finds) and usable() is asked. usable() no longer registers the answer of a host
     * without state, so the tests whose failures need the answer for the cap get it from the lookup instead.
     */
    private List<InetAddress> connect(String hostKey, List<InetAddress> answer) {
        this.known.put(hostKey, answer);
        return this.detector.usable(hostKey, answer);
    }

    private static OutlierSettings settings(int consecutiveFailures, Duration base, Duration max, int maxEjectionPercent) {
        return new OutlierSettings(true, consecutiveFailures, Set.of(403), base, max, maxEjectionPercent);
    }

    private boolean fail(InetAddress address, int times) {
        boolean ejected = false;
        for (int i = 0; i < times; i++) {
            ejected = this.detector.recordFailure(HOST, address, Failure.CONNECT);
        }
        return ejected;
    }

    private Duration ejectionLeft(InetAddress address) {
        AddressState state = this.detector.snapshot(HOST).stream().filter(s -> s.address().equals(address))
                .findFirst().orElseThrow();
        assertThat(state.ejected()).as("ejected").isTrue();
        return Duration.between(this.clock.instant(), state.ejectedUntil());
    }

    @Test
    void threeConsecutiveFailuresEjectTheAddress() {
        connect(HOST, ABC);

        assertThat(this.detector.recordFailure(HOST, A, Failure.CONNECT)).isFalse();
        assertThat(this.detector.recordFailure(HOST, A, Failure.TLS)).isFalse();
        assertThat(this.detector.recordFailure(HOST, A, Failure.IO)).isTrue();

        assertThat(this.detector.isEjected(HOST, A)).isTrue();
        assertThat(this.detector.usable(HOST, ABC)).containsExactly(B, C);
        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aSuccessInBetweenStartsTheRunAgain() {
        connect(HOST, ABC);
        fail(A, 2);

        this.detector.recordSuccess(HOST, A);

        assertThat(fail(A, 2)).isFalse();
        assertThat(this.detector.recordFailure(HOST, A, Failure.PROBE)).isTrue();
    }

    @Test
    void statusInEjectOnStatusEjectsAtOnce() {
        connect(HOST, ABC);

        assertThat(this.detector.recordStatus(HOST, B, 403)).isTrue();

        assertThat(this.detector.usable(HOST, ABC)).containsExactly(A, C);
    }

    @Test
    void anyOtherStatusCountsAsASuccess() {
        connect(HOST, ABC);
        fail(A, 2);

        assertThat(this.detector.recordStatus(HOST, A, 500)).isFalse();
        assertThat(this.detector.recordStatus(HOST, A, 999)).isFalse();

        assertThat(fail(A, 2)).isFalse();
        assertThat(this.detector.isEjected(HOST, A)).isFalse();
    }

    @Test
    void ejectedAddressIsUsableAgainWhenItsEjectionEnds() {
        connect(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);

        this.clock.advance(Duration.ofMillis(29_999));
        assertThat(this.detector.usable(HOST, ABC)).containsExactly(B, C);

        this.clock.advance(Duration.ofMillis(1));
        assertThat(this.detector.isEjected(HOST, A)).isFalse();
        assertThat(this.detector.usable(HOST, ABC)).containsExactly(A, B, C);
    }

    @Test
    void eachEjectionLastsBaseTimesItsNumberUpToTheMax() {
        this.detector = withoutJitter(settings(3, Duration.ofSeconds(30), Duration.ofSeconds(75), 50));
        connect(HOST, ABC);
        List<Duration> lengths = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            this.detector.recordStatus(HOST, A, 403);
            lengths.add(ejectionLeft(A));
            this.clock.advance(lengths.get(i));
        }

        assertThat(lengths).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(75),
                Duration.ofSeconds(75));
        assertThat(this.detector.snapshot(HOST).get(0).ejections()).isEqualTo(4);
    }

    @Test
    void jitterAddsUpToATenthButNeverGoesPastTheMax() {
        this.detector = new OutlierDetector(settings(3, Duration.ofSeconds(30), Duration.ofSeconds(31), 50),
                this.clock, () -> 0.999);
        assertThat(this.detector.ejectionMillis(1)).isEqualTo(31_000);

        this.detector = new OutlierDetector(OutlierSettings.DEFAULTS, this.clock, () -> 0.5);
        assertThat(this.detector.ejectionMillis(1)).isEqualTo(31_500);
        assertThat(this.detector.ejectionMillis(20)).isEqualTo(600_000);
        assertThat(this.detector.ejectionMillis(Integer.MAX_VALUE)).isEqualTo(600_000);
    }

    @Test
    void publicConstructorJittersWithinATenth() {
        // The public constructor with the answers lookup: without one, the answer registered by connect()'s
        // usable() would be unknown to the failure, and one address seen ejects none.
        this.detector = new OutlierDetector(OutlierSettings.DEFAULTS, this.clock, this::lookup);
        connect(HOST, ABC);

        this.detector.recordStatus(HOST, A, 403);

        assertThat(ejectionLeft(A)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(33));
    }

    @Test
    void passingProbeAfterTheEjectionEndsResetsTheMultiplier() {
        connect(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);
        this.clock.advance(Duration.ofSeconds(30));

        this.detector.recordProbePassed(HOST, A);
        this.detector.recordStatus(HOST, A, 403);

        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void passingProbeDuringAnEjectionNeitherEndsItNorResetsTheMultiplier() {
        connect(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);

        this.detector.recordProbePassed(HOST, A);

        assertThat(this.detector.isEjected(HOST, A)).isTrue();
        this.clock.advance(Duration.ofSeconds(30));
        this.detector.recordStatus(HOST, A, 403);
        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void ordinarySuccessAfterAnEjectionKeepsTheMultiplier() {
        connect(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);
        this.clock.advance(Duration.ofSeconds(30));

        this.detector.recordSuccess(HOST, A);
        this.detector.recordStatus(HOST, A, 200);
        fail(A, 3);

        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void multiplierDropsByOneForEveryBaseEjectionTimeSpentOutOfEjection() {
        connect(HOST, ABC);
        for (int i = 0; i < 3; i++) {
            this.detector.recordStatus(HOST, A, 403);
            this.clock.advance(ejectionLeft(A));
        }
        assertThat(this.detector.snapshot(HOST).get(0).ejections()).isEqualTo(3);

        // Two base lengths (and a bit) out of ejection, with no probe: the count is down by two.
        this.clock.advance(Duration.ofSeconds(61));
        assertThat(this.detector.snapshot(HOST).get(0).ejections()).isEqualTo(1);
        this.detector.recordStatus(HOST, A, 403);
        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(60));
        assertThat(this.detector.snapshot(HOST).get(0).ejections()).isEqualTo(2);

        // A long healthy stretch brings it back to a first ejection, never below.
        this.clock.advance(ejectionLeft(A).plus(Duration.ofHours(1)));
        assertThat(this.detector.snapshot(HOST).get(0).ejections()).isZero();
        this.detector.recordStatus(HOST, A, 403);
        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void failuresWhileEjectedAreIgnored() {
        connect(HOST, ABC);
        fail(A, 3);

        assertThat(fail(A, 5)).isFalse();
        assertThat(this.detector.recordStatus(HOST, A, 403)).isFalse();

        assertThat(this.detector.snapshot(HOST).get(0)).isEqualTo(
                new AddressState(A, true, this.clock.instant().plusSeconds(30), 0, 1));
    }

    @Test
    void withTwoOfThreeAddressesFailingAndFiftyPercentOneFailingAddressStaysInUse() {
        connect(HOST, ABC);

        assertThat(fail(A, 3)).isTrue();
        assertThat(fail(B, 3)).isFalse();
        assertThat(this.detector.recordStatus(HOST, B, 403)).isFalse();

        assertThat(this.detector.isEjected(HOST, B)).isFalse();
        assertThat(this.detector.usable(HOST, ABC)).containsExactly(B, C);
        assertThat(this.detector.snapshot(HOST).get(1).consecutiveFailures()).isEqualTo(4);
    }

    @Test
    void addressHeldBackByTheCapIsEjectedOnItsNextFailureOnceThereIsRoom() {
        connect(HOST, ABC);
        fail(A, 3);
        fail(B, 3);

        this.clock.advance(Duration.ofSeconds(30));

        assertThat(this.detector.recordFailure(HOST, B, Failure.IO)).isTrue();
        assertThat(this.detector.usable(HOST, ABC)).containsExactly(A, C);
    }

    @Test
    void aHostWithASingleAddressIsNeverEjected() {
        connect(HOST, List.of(A));

        assertThat(fail(A, 10)).isFalse();
        assertThat(this.detector.recordStatus(HOST, A, 403)).isFalse();

        assertThat(this.detector.usable(HOST, List.of(A))).containsExactly(A);
    }

    @Test
    void hundredPercentStillLeavesOneAddress() {
        this.detector = withoutJitter(settings(1, Duration.ofSeconds(30), Duration.ofMinutes(10), 100));
        connect(HOST, ABC);

        assertThat(fail(A, 1)).isTrue();
        assertThat(fail(B, 1)).isTrue();
        assertThat(fail(C, 1)).isFalse();

        assertThat(this.detector.usable(HOST, ABC)).containsExactly(C);
    }

    @Test
    void whenTheAnswerShrinksTheEjectionsEndingSoonestAreUsableAgain() {
        InetAddress d = IpLiterals.parse("203.0.113.4");
        connect(HOST, List.of(A, B, C, d));
        this.detector.recordStatus(HOST, B, 403);
        this.clock.advance(Duration.ofSeconds(1));
        this.detector.recordStatus(HOST, A, 403);

        assertThat(this.detector.usable(HOST, List.of(A, B, C, d))).containsExactly(C, d);
        assertThat(this.detector.usable(HOST, List.of(A, B))).containsExactly(B);
        assertThat(this.detector.usable(HOST, List.of(A))).containsExactly(A);
        assertThat(this.detector.isEjected(HOST, A)).isTrue();
    }

    @Test
    void usableIsTheSameListWhenNothingIsEjected() {
        List<InetAddress> all = new ArrayList<>(ABC);

        assertThat(this.detector.usable(HOST, all)).isSameAs(all);
        assertThat(this.detector.usable(HOST, List.of())).isEmpty();
    }

    @Test
    void failureOfAnAddressThatLeftTheAnswerIsIgnored() {
        connect(HOST, List.of(A, B));

        assertThat(this.detector.recordStatus(HOST, C, 403)).isFalse();

        assertThat(this.detector.snapshot(HOST)).extracting(AddressState::address).containsExactly(A, B);
    }

    @Test
    void newAnswerDropsTheStateOfAddressesThatLeftIt() {
        this.known.put(HOST, ABC); // hostAddresses() registers nothing for a host without state: the lookup does.
        this.detector.hostAddresses(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);
        fail(B, 2);

        this.detector.hostAddresses(HOST, List.of(B, C));

        assertThat(this.detector.isEjected(HOST, A)).isFalse();
        assertThat(this.detector.snapshot(HOST)).containsExactly(new AddressState(B, false, null, 2, 0),
                new AddressState(C, false, null, 0, 0));
    }

    @Test
    void emptyAnswerForgetsTheHost() {
        this.known.put(HOST, ABC); // hostAddresses() registers nothing for a host without state: the lookup does.
        this.detector.hostAddresses(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);

        this.detector.hostAddresses(HOST, List.of());

        assertThat(this.detector.snapshot(HOST)).isEmpty();
        assertThat(this.detector.isEjected(HOST, A)).isFalse();
    }

    @Test
    void forAHostNeverRegisteredTheAddressesSeenCountAsItsAnswer() {
        assertThat(fail(A, 3)).as("one address seen: none may be ejected").isFalse();
        this.detector.recordFailure(HOST, B, Failure.CONNECT);

        assertThat(this.detector.recordFailure(HOST, A, Failure.CONNECT)).isTrue();
        assertThat(this.detector.recordStatus(HOST, B, 403)).isFalse();
    }

    @Test
    void hostsAreIndependentEvenWhenTheyShareAnAddress() {
        connect(HOST, ABC);
        connect("cdn.example.com:443", ABC);

        this.detector.recordStatus(HOST, A, 403);

        assertThat(this.detector.isEjected("cdn.example.com:443", A)).isFalse();
        assertThat(this.detector.usable("cdn.example.com:443", ABC)).containsExactly(A, B, C);
    }

    @Test
    void ejectionListenersAreToldTheHostAddressAndEnd() {
        List<String> heard = new CopyOnWriteArrayList<>();
        this.detector.onEjection((host, address, until) -> {
            throw new IllegalStateException("a listener that fails");
        });
        this.detector.onEjection((host, address, until) -> heard.add(host + " " + address.getHostAddress() + " "
                + Duration.between(this.clock.instant(), until)));
        connect(HOST, ABC);

        try (LogCapture log = new LogCapture(OutlierDetector.class)) {
            fail(C, 3);

            assertThat(log.messages()).contains(
                    "hotpool: ejected 203.0.113.3 of api.example.com:443 for 30000 ms (ejection 1) after 3 "
                            + "consecutive failures, the last CONNECT");
            assertThat(log.messages()).anyMatch(m -> m.startsWith("hotpool: ejection listener"));
        }
        assertThat(heard).containsExactly("api.example.com:443 203.0.113.3 PT30S");
    }

    @Test
    void disabledDetectorRecordsNothingAndEverythingIsUsable() {
        this.detector = withoutJitter(new OutlierSettings(false, 3, Set.of(403), Duration.ofSeconds(30),
                Duration.ofMinutes(10), 50));

        assertThat(this.detector.recordStatus(HOST, A, 403)).isFalse();
        assertThat(fail(A, 10)).isFalse();
        this.detector.recordProbePassed(HOST, A);

        assertThat(this.detector.usable(HOST, ABC)).isSameAs(ABC);
        assertThat(this.detector.isEjected(HOST, A)).isFalse();
        assertThat(this.detector.snapshot(HOST)).isEmpty();
    }

    @Test
    void snapshotListsEachAddressOfTheAnswerWithItsState() {
        connect(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);
        fail(B, 2);
        Instant until = this.clock.instant().plusSeconds(30);

        assertThat(this.detector.snapshot(HOST)).containsExactly(new AddressState(A, true, until, 0, 1),
                new AddressState(B, false, null, 2, 0), new AddressState(C, false, null, 0, 0));
        assertThat(this.detector.snapshot("unknown.example.com:443")).isEmpty();
    }

    @Test
    void concurrentFailuresNeverEjectMoreThanTheCap() throws Exception {
        List<InetAddress> ten = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ten.add(IpLiterals.parse("198.51.100." + i));
        }
        connect(HOST, ten);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> ejections = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                ejections.add(threads.submit(() -> {
                    start.await();
                    int ejected = 0;
                    for (int i = 0; i < 1000; i++) {
                        InetAddress address = ten.get(i % ten.size());
                        ejected += this.detector.recordFailure(HOST, address, Failure.IO) ? 1 : 0;
                        this.detector.recordSuccess(HOST, ten.get((i + 3) % ten.size()));
                    }
                    return ejected;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : ejections) {
                total += f.get(30, TimeUnit.SECONDS);
            }

            assertThat(total).isLessThanOrEqualTo(5);
            assertThat(this.detector.snapshot(HOST).stream().filter(AddressState::ejected).count()).isEqualTo(total);
            assertThat(new HashSet<>(this.detector.usable(HOST, ten))).hasSize(10 - total);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void hostsThatOnlyConnectLeaveNoState() {
        for (int i = 0; i < 10_000; i++) {
            String host = "host" + i + ".example.com:443";
            List<InetAddress> answer = List.of(IpLiterals.parse("198.51.100." + (i % 250 + 1)));

            assertThat(this.detector.usable(host, answer)).isSameAs(answer);
            this.detector.hostAddresses(host, answer);
            this.detector.recordSuccess(host, answer.get(0));
            this.detector.recordStatus(host, answer.get(0), 200);
            this.detector.recordProbePassed(host, answer.get(0));
        }

        assertThat(this.detector.trackedHosts()).isZero();
        assertThat(this.detector.snapshot("host1.example.com:443")).isEmpty();
    }

    @Test
    void hostsWithOneFailureEachAreDroppedBySweepOnceTheirFailureIsMaxEjectionTimeOld() {
        for (int i = 0; i < 1000; i++) {
            String host = "host" + i + ".example.com:443";
            this.known.put(host, ABC);
            this.detector.recordFailure(host, A, Failure.CONNECT);
        }
        assertThat(this.detector.trackedHosts()).isEqualTo(1000);
        assertThat(this.detector.forgetQuiet()).as("fresh runs are kept").isZero();

        this.clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(this.detector.forgetQuiet()).isZero();
        assertThat(this.detector.snapshot("host7.example.com:443").get(0).consecutiveFailures()).isEqualTo(1);

        this.clock.advance(Duration.ofMillis(1));
        assertThat(this.detector.forgetQuiet()).isEqualTo(1000);
        assertThat(this.detector.trackedHosts()).isZero();
        assertThat(this.detector.snapshot("host7.example.com:443")).isEmpty();
    }

    @Test
    void failureMaxEjectionTimeAfterThePreviousOneStartsANewRun() {
        connect(HOST, ABC);
        fail(A, 2);

        this.clock.advance(Duration.ofMinutes(10));
        assertThat(fail(A, 1)).as("a run spread wider than max-ejection-time never ejects").isFalse();
        assertThat(this.detector.snapshot(HOST).get(0).consecutiveFailures()).isEqualTo(1);

        this.clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(fail(A, 2)).isTrue();
    }

    @Test
    void ejectedAddressSurvivesSweepsUntilItsEjectionEndedAndItsMultiplierDecayed() {
        connect(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);

        this.clock.advance(Duration.ofMillis(29_999));
        assertThat(this.detector.forgetQuiet()).isZero();
        assertThat(this.detector.isEjected(HOST, A)).isTrue();
        assertThat(this.detector.usable(HOST, ABC)).containsExactly(B, C);

        // Ejection over, multiplier 1 until one base-ejection-time out of ejection.
        this.clock.advance(Duration.ofMillis(1));
        this.detector.recordSuccess(HOST, A);
        assertThat(this.detector.forgetQuiet()).isZero();
        this.clock.advance(Duration.ofMillis(29_999));
        assertThat(this.detector.forgetQuiet()).isZero();
        assertThat(this.detector.snapshot(HOST).get(0)).isEqualTo(new AddressState(A, false, null, 0, 1));

        this.clock.advance(Duration.ofMillis(1));
        assertThat(this.detector.forgetQuiet()).isEqualTo(1);
        assertThat(this.detector.trackedHosts()).isZero();

        // As if it had been kept: the multiplier had decayed to zero, so this is a first ejection again.
        this.detector.recordStatus(HOST, A, 403);
        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void sweepKeepsAHostWhoseMultiplierHasNotDecayedAndTheNextEjectionIsLonger() {
        connect(HOST, ABC);
        this.detector.recordStatus(HOST, A, 403);
        this.clock.advance(Duration.ofSeconds(30));
        this.detector.recordStatus(HOST, A, 403);
        this.clock.advance(Duration.ofSeconds(60 + 30)); // Out of ejection for one base length: 2 → 1.

        assertThat(this.detector.forgetQuiet()).isZero();

        this.detector.recordStatus(HOST, A, 403);
        assertThat(ejectionLeft(A)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void successOrPassingProbeThatLeavesNothingToRememberDropsTheHostAtOnce() {
        connect(HOST, ABC);
        fail(A, 2);
        assertThat(this.detector.trackedHosts()).isEqualTo(1);

        this.detector.recordSuccess(HOST, A);
        assertThat(this.detector.trackedHosts()).isZero();

        this.detector.recordStatus(HOST, A, 403);
        this.detector.recordProbePassed(HOST, A);
        assertThat(this.detector.trackedHosts()).as("still ejected").isEqualTo(1);
        this.clock.advance(Duration.ofSeconds(30));
        this.detector.recordSuccess(HOST, A);
        assertThat(this.detector.trackedHosts()).as("multiplier not decayed").isEqualTo(1);
        this.detector.recordProbePassed(HOST, A);
        assertThat(this.detector.trackedHosts()).isZero();
    }

    @Test
    void first403OnAHostWithThreeAddressesEjectsAtOnceWithTheAnswerFromTheAddressBook() throws Exception {
        AddressBook book = new AddressBook(Map.of("api.example.com", List.of("203.0.113.1", "203.0.113.2",
                "203.0.113.3")), host -> List.of(), Duration.ofMinutes(5), this.clock);
        this.detector = new OutlierDetector(OutlierSettings.DEFAULTS, this.clock,
                hostKey -> book.cached(OutlierDetector.hostOf(hostKey)), () -> 0);

        assertThat(this.detector.recordStatus(HOST, B, 403)).isTrue();

        assertThat(this.detector.usable(HOST, book.addresses("api.example.com"))).containsExactly(A, C);
        assertThat(this.detector.snapshot(HOST)).extracting(AddressState::address).containsExactly(A, B, C);
    }

    @Test
    void answersLookupThatFailsLeavesTheAddressesSeenAsTheAnswer() {
        this.detector = new OutlierDetector(OutlierSettings.DEFAULTS, this.clock, hostKey -> {
            throw new IllegalStateException("lookup broke");
        }, () -> 0);

        try (LogCapture log = new LogCapture(OutlierDetector.class)) {
            assertThat(this.detector.recordStatus(HOST, A, 403)).as("one address seen: none may be ejected").isFalse();
            assertThat(log.messages()).anyMatch(m -> m.startsWith("hotpool: the answers lookup failed for " + HOST));
        }
        assertThat(this.detector.snapshot(HOST).get(0).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void hostOfTakesThePortAndBracketsOffAHostKey() {
        assertThat(OutlierDetector.hostOf("api.example.com:443")).isEqualTo("api.example.com");
        assertThat(OutlierDetector.hostOf("203.0.113.1:80")).isEqualTo("203.0.113.1");
        assertThat(OutlierDetector.hostOf("[2001:db8::1]:443")).isEqualTo("2001:db8::1");
        assertThat(OutlierDetector.hostOf("api.example.com")).isEqualTo("api.example.com");
        assertThat(OutlierDetector.hostOf("2001:db8::1")).isEqualTo("2001:db8::1");
    }

    /**
     * A success on C that leaves a host with nothing to remember drops it, and the sweep drops what is quiet,
     * while failures of A are counted on other threads: no failure may land in a dropped state, so every host's
     * A ends up ejected exactly once.
     */
    @Test
    void concurrentFailuresSuccessesAndSweepsNeverLoseAnEjection() throws Exception {
        int hosts = 2000;
        int failingThreads = 3; // One failure of A per host each: the third ejects.
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            keys.add("host" + i + ".example.com:443");
            this.known.put(keys.get(i), ABC);
        }
        ExecutorService threads = Executors.newFixedThreadPool(failingThreads + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        try {
            List<Future<Integer>> ejections = new ArrayList<>();
            for (int t = 0; t < failingThreads; t++) {
                int offset = t * hosts / failingThreads;
                ejections.add(threads.submit(() -> {
                    start.await();
                    int ejected = 0;
                    for (int i = 0; i < hosts; i++) {
                        String key = keys.get((offset + i) % hosts);
                        ejected += this.detector.recordFailure(key, A, Failure.IO) ? 1 : 0;
                    }
                    return ejected;
                }));
            }
            Future<Integer> churn = threads.submit(() -> {
                start.await();
                int rounds = 0;
                while (!done.get()) {
                    for (String key : keys) {
                        this.detector.recordFailure(key, C, Failure.CONNECT);
                        this.detector.recordSuccess(key, C);
                    }
                    rounds++;
                }
                return rounds;
            });
            Future<Integer> sweeps = threads.submit(() -> {
                start.await();
                int dropped = 0;
                while (!done.get()) {
                    dropped += this.detector.forgetQuiet();
                }
                return dropped;
            });
            start.countDown();
            int total = 0;
            for (Future<Integer> f : ejections) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            assertThat(churn.get(60, TimeUnit.SECONDS)).isPositive();
            sweeps.get(60, TimeUnit.SECONDS);

            assertThat(total).isEqualTo(hosts);
            assertThat(keys).allSatisfy(key -> assertThat(this.detector.isEjected(key, A)).as(key).isTrue());
            assertThat(this.detector.forgetQuiet()).isZero();
            assertThat(this.detector.trackedHosts()).isEqualTo(hosts);
        }
        finally {
            done.set(true);
            threads.shutdownNow();
        }
    }

    @Test
    void defaultsFollowTheIssue() {
        assertThat(OutlierSettings.DEFAULTS).isEqualTo(new OutlierSettings(true, 3, Set.of(403), Duration.ofSeconds(30),
                Duration.ofMinutes(10), 50));
    }

    @Test
    void settingsKeepAnImmutableCopyOfTheStatuses() {
        Set<Integer> statuses = new HashSet<>(Set.of(403));
        OutlierSettings settings = new OutlierSettings(true, 3, statuses, Duration.ofSeconds(30), Duration.ofMinutes(10), 50);
        statuses.add(429);

        assertThat(settings.ejectOnStatus()).containsExactly(403);
    }

    @Test
    void impossibleSettingsAreRefusedNamingTheProperty() {
        Duration s30 = Duration.ofSeconds(30);
        Duration m10 = Duration.ofMinutes(10);
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierSettings(true, 0, Set.of(403), s30, m10, 50))
                .withMessage("hotpool.outlier.consecutive-failures (0) must be greater than 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierSettings(true, 3, Set.of(99), s30, m10, 50))
                .withMessage("hotpool.outlier.eject-on-status ([99]) must hold only HTTP status codes from 100 to 599");
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierSettings(true, 3, Set.of(600), s30, m10, 50))
                .withMessage("hotpool.outlier.eject-on-status ([600]) must hold only HTTP status codes from 100 to 599");
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierSettings(true, 3, Set.of(), Duration.ZERO, m10, 50))
                .withMessage("hotpool.outlier.base-ejection-time (PT0S) must be at least 1 ms");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OutlierSettings(true, 3, Set.of(), s30, Duration.ofSeconds(10), 50))
                .withMessage("hotpool.outlier.max-ejection-time (PT10S) must not be less than "
                        + "hotpool.outlier.base-ejection-time (PT30S)");
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierSettings(true, 3, Set.of(), s30, null, 50))
                .withMessage("hotpool.outlier.max-ejection-time (null) must not be less than "
                        + "hotpool.outlier.base-ejection-time (PT30S)");
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierSettings(true, 3, Set.of(), s30, m10, 101))
                .withMessage("hotpool.outlier.max-ejection-percent (101) must be from 0 to 100");
        assertThatIllegalArgumentException().isThrownBy(() -> new OutlierSettings(true, 3, Set.of(), s30, m10, -1))
                .withMessage("hotpool.outlier.max-ejection-percent (-1) must be from 0 to 100");
    }

    @Test
    void zeroPercentEjectsNothing() {
        this.detector = withoutJitter(settings(3, Duration.ofSeconds(30), Duration.ofMinutes(10), 0));
        connect(HOST, ABC);

        assertThat(this.detector.recordStatus(HOST, A, 403)).isFalse();
        assertThat(this.detector.usable(HOST, ABC)).containsExactly(A, B, C);
    }
}
