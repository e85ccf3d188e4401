package dev.hotpool.net;

import dev.hotpool.internal.util.IpLiterals;

import java.net.BindException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Source addresses: validated by binding (Linux routes all of 127/8 to loopback), then taken in turn per family. */
class LocalAddressPoolTests {

    private static final InetAddress LOOPBACK_5 = IpLiterals.parse("127.0.0.5");
    private static final InetAddress LOOPBACK_6 = IpLiterals.parse("127.0.0.6");
    private static final InetAddress V4_TARGET = IpLiterals.parse("203.0.113.7");
    private static final InetAddress V6_TARGET = IpLiterals.parse("2001:db8::7");

    @Test
    void loopbackAddressesOfThisMachineAreAccepted() {
        LocalAddressPool pool = LocalAddressPool.of(List.of("127.0.0.5", " 127.0.0.6"));

        assertThat(pool.addresses()).containsExactly(LOOPBACK_5, LOOPBACK_6);
        assertThat(pool).hasToString("LocalAddressPool[127.0.0.5, 127.0.0.6]");
    }

    @Test
    void addressesOfTheTargetsFamilyAreTakenInTurn() {
        LocalAddressPool pool = LocalAddressPool.of(List.of("127.0.0.5", "127.0.0.6"));

        assertThat(List.of(pool.next(V4_TARGET), pool.next(V4_TARGET), pool.next(V4_TARGET)))
                .containsExactly(LOOPBACK_5, LOOPBACK_6, LOOPBACK_5);
    }

    @Test
    void targetOfAFamilyWithoutLocalAddressesGetsNullSoTheSystemChooses() {
        LocalAddressPool pool = LocalAddressPool.of(List.of("127.0.0.5"));

        assertThat(pool.next(V6_TARGET)).isNull();
        assertThat(LocalAddressPool.NONE.next(V4_TARGET)).isNull();
    }

    @Test
    void eachFamilyHasItsOwnTurn() {
        InetAddress v6 = IpLiterals.parse("2001:db8::100");
        LocalAddressPool pool = new LocalAddressPool(List.of(LOOPBACK_5, v6, LOOPBACK_6));

        assertThat(pool.next(V4_TARGET)).isEqualTo(LOOPBACK_5);
        assertThat(pool.next(V6_TARGET)).isEqualTo(v6);
        assertThat(pool.next(V6_TARGET)).isEqualTo(v6);
        assertThat(pool.next(V4_TARGET)).isEqualTo(LOOPBACK_6);
    }

    @Test
    void ipv6LoopbackIsAccepted() {
        assertThat(LocalAddressPool.of(List.of("::1")).next(V6_TARGET)).isEqualTo(IpLiterals.parse("::1"));
    }

    @Test
    void addressNotOnThisMachineIsRefusedNamingItsIndex() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LocalAddressPool.of(List.of("127.0.0.5", "203.0.113.7")))
                .withMessageStartingWith("hotpool.local-addresses[1] (203.0.113.7) cannot be bound on this machine: ")
                .withCauseInstanceOf(BindException.class);
    }

    @Test
    void textThatIsNotAnIpAddressIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> LocalAddressPool.of(List.of("localhost")))
                .withMessage("hotpool.local-addresses[0] (localhost) is not an IP address");
    }

    @Test
    void wildcardAddressIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> LocalAddressPool.of(List.of("127.0.0.5", "0.0.0.0")))
                .withMessage("hotpool.local-addresses[1] (0.0.0.0) is the wildcard address; leave it out to let the "
                        + "system choose");
    }

    @Test
    void emptyListIsNone() {
        assertThat(LocalAddressPool.of(List.of())).isSameAs(LocalAddressPool.NONE);
    }

    @Test
    void turnsStayEvenUnderConcurrency() throws Exception {
        LocalAddressPool pool = new LocalAddressPool(List.of(LOOPBACK_5, LOOPBACK_6));
        Map<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        counts.computeIfAbsent(pool.next(V4_TARGET), a -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(counts.get(LOOPBACK_5)).hasValue(2000);
        assertThat(counts.get(LOOPBACK_6)).hasValue(2000);
    }
}
