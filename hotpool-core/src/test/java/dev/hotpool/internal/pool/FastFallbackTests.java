package dev.hotpool.internal.pool;

import dev.hotpool.AddressInfo;
import dev.hotpool.ConnectException;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.BlackHole;
import dev.hotpool.testsupport.StubServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connecting: fast fallback (RFC 8305) between a host's addresses, on loopback addresses where a connect hangs
 * ({@link BlackHole}) or is refused, with the fallback delay stepped by hand; and the TCP options of new sockets.
 */
class FastFallbackTests {

    private static final StubServer.Handler OK = (req, ex) -> ex.respond(200, "ok");

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final StepTimer timer = new StepTimer();
    private final List<InetAddress> failed = new CopyOnWriteArrayList<>();
    private final List<InetAddress> connected = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = this.closing.size() - 1; i >= 0; i--) {
            this.closing.get(i).close();
        }
        this.threads.shutdownNow();
    }

    private <T extends AutoCloseable> T closing(T c) {
        this.closing.add(c);
        return c;
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    private Dialer dialer(HotPoolConfig.Builder config) {
        return new Dialer(config.build(), this.timer, this.threads);
    }

    private CompletableFuture<Socket> dialAsync(Dialer dialer, int port, List<InetAddress> candidates,
            AddressLoad load, int timeoutMillis) {
        Origin origin = Origin.of(URI.create("http://eyeballs.test:" + port));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return closing(dialer.dial(origin, candidates, load, deadline, timeoutMillis, new Dialer.Attempts() {
                    @Override
                    public void failed(InetAddress address, IOException cause, long nanos) {
                        FastFallbackTests.this.failed.add(address);
                    }

                    @Override
                    public void connected(InetAddress address, long nanos) {
                        FastFallbackTests.this.connected.add(address);
                    }
                }));
            }
            catch (ConnectException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, this.threads);
    }

    @Test
    void theNextAddressIsTriedOnlyOnceTheFallbackDelayHasPassedAndTheFirstToConnectWins() throws Exception {
        StubServer good = closing(StubServer.on(ip("127.0.0.1"), 0, null, OK));
        closing(BlackHole.on(ip("127.0.0.2"), good.port()));
        AddressLoad load = new AddressLoad();

        CompletableFuture<Socket> dialed = dialAsync(dialer(HotPoolConfig.builder()), good.port(),
                List.of(ip("127.0.0.2"), ip("127.0.0.1")), load, 10_000);

        assertThat(this.timer.awaitScheduled()).as("the fallback timer is armed by the first attempt").isTrue();
        assertThat(this.timer.delays).containsExactly(250L); // The default hotpool.connect.fallback-delay.
        // Real time passes (300 ms, more than the delay); the stepped delay does not, so the dial is still waiting.
        assertThatThrownBy(() -> dialed.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(good.connectionsAccepted()).as("no second attempt before the delay").isZero();

        this.timer.fire();
        Socket socket = dialed.get(5, TimeUnit.SECONDS);
        assertThat(((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress()).isEqualTo(ip("127.0.0.1"));
        Await.until(() -> good.connectionsAccepted() == 1);
        assertThat(this.failed).as("the attempt that lost the race is not a failure").isEmpty();
        assertThat(this.connected).as("only the winner is timed as a success").containsExactly(ip("127.0.0.1"));
        assertThat(load.live(ip("127.0.0.1"))).isEqualTo(1);
        assertThat(load.live(ip("127.0.0.2"))).isZero();
    }

    @Test
    void aFailedAttemptStartsTheNextAddressAtOnceAndCountsAsAFailure() throws Exception {
        StubServer good = closing(StubServer.on(ip("127.0.0.1"), 0, null, OK));
        AddressLoad load = new AddressLoad();

        Socket socket = dialAsync(dialer(HotPoolConfig.builder()), good.port(),
                List.of(ip("127.0.0.3"), ip("127.0.0.1")), load, 10_000).get(5, TimeUnit.SECONDS);

        assertThat(((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress()).isEqualTo(ip("127.0.0.1"));
        assertThat(this.failed).containsExactly(ip("127.0.0.3")); // Refused: nothing listens there.
        assertThat(this.connected).containsExactly(ip("127.0.0.1"));
        assertThat(this.timer.fired).isZero();
        assertThat(load.live(ip("127.0.0.3"))).isZero();
    }

    @Test
    void theAttemptAfterTheDelayGoesToTheOtherAddressFamily() throws Exception {
        StubServer good = closing(StubServer.on(ip("::1"), 0, null, OK));
        closing(BlackHole.on(ip("127.0.0.2"), good.port()));
        closing(BlackHole.on(ip("127.0.0.3"), good.port()));

        CompletableFuture<Socket> dialed = dialAsync(dialer(HotPoolConfig.builder()), good.port(),
                List.of(ip("127.0.0.2"), ip("127.0.0.3"), ip("::1")), new AddressLoad(), 10_000);

        assertThat(this.timer.awaitScheduled()).isTrue();
        this.timer.fire();
        Socket socket = dialed.get(5, TimeUnit.SECONDS);
        assertThat(((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress()).isEqualTo(ip("::1"));
        assertThat(this.failed).isEmpty();
    }

    @Test
    void whenNoAddressAnswersTheDialEndsAtTheConnectTimeoutWithEveryAttemptClosed() throws Exception {
        BlackHole hole = closing(BlackHole.on(ip("127.0.0.2")));
        closing(BlackHole.on(ip("127.0.0.3"), hole.port()));
        AddressLoad load = new AddressLoad();
        InetAddress second = ip("127.0.0.2");
        InetAddress third = ip("127.0.0.3");

        CompletableFuture<Socket> dialed = dialAsync(dialer(HotPoolConfig.builder()), hole.port(),
                List.of(second, third), load, 700);
        assertThat(this.timer.awaitScheduled()).isTrue();
        this.timer.fire();

        assertThatThrownBy(() -> dialed.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("hotpool: cannot connect to http://eyeballs.test:" + hole.port())
                .hasMessageContaining("(2 addresses)");
        Await.until(() -> load.live(second) == 0 && load.live(third) == 0);
    }

    @Test
    void withTheFallbackDelayAtZeroAddressesAreTriedOneAfterAnother() throws Exception {
        StubServer good = closing(StubServer.on(ip("127.0.0.1"), 0, null, OK));
        closing(BlackHole.on(ip("127.0.0.2"), good.port()));

        CompletableFuture<Socket> dialed = dialAsync(dialer(HotPoolConfig.builder().fallbackDelay(Duration.ZERO)),
                good.port(), List.of(ip("127.0.0.2"), ip("127.0.0.1")), new AddressLoad(), 700);

        // The hanging first attempt takes the whole budget: the second address gets none.
        assertThatThrownBy(() -> dialed.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.2");
        assertThat(this.timer.delays).isEmpty();
        assertThat(good.connectionsAccepted()).isZero();
    }

    @Test
    void newSocketsCarryTcpNoDelayAndTcpKeepAliveWithItsTiming() throws Exception {
        StubServer good = closing(StubServer.on(ip("127.0.0.1"), 0, null, OK));

        Socket socket = dialAsync(dialer(HotPoolConfig.builder().tcpKeepAliveIdle(Duration.ofSeconds(45))
                .tcpKeepAliveInterval(Duration.ofSeconds(7)).tcpKeepAliveCount(4)), good.port(),
                List.of(ip("127.0.0.1")), new AddressLoad(), 5_000).get(5, TimeUnit.SECONDS);

        assertThat(socket.getTcpNoDelay()).isTrue();
        assertThat(socket.getKeepAlive()).isTrue();
        assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(45);
        assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(7);
        assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
        assertThat(this.timer.delays).as("one address: no race").isEmpty();
    }

    @Test
    void tcpKeepAliveCanBeTurnedOff() throws Exception {
        StubServer good = closing(StubServer.on(ip("127.0.0.1"), 0, null, OK));

        Socket socket = dialAsync(dialer(HotPoolConfig.builder().tcpKeepAlive(false)), good.port(),
                List.of(ip("127.0.0.1")), new AddressLoad(), 5_000).get(5, TimeUnit.SECONDS);

        assertThat(socket.getKeepAlive()).isFalse();
    }

    @Test
    void throughThePoolAHostWhoseFirstAddressBlackHolesIsReachedByFallbackAndNoFailureIsCounted() throws Exception {
        StubServer good = closing(StubServer.on(ip("127.0.0.1"), 0, null, OK));
        closing(BlackHole.on(ip("127.0.0.2"), good.port()));
        HotPoolConfig.Builder config = HotPoolConfig.builder().connectTimeout(Duration.ofSeconds(5))
                .fallbackDelay(Duration.ofMillis(100))
                .staticAddresses(Map.of("eyeballs.test", List.of("127.0.0.2", "127.0.0.1")));
        HotPool pool = closing(new HotPool(config.build()));
        URI uri = URI.create("http://eyeballs.test:" + good.port() + "/");

        for (int i = 0; i < 3; i++) {
            try (HotResponse response = pool.execute(HotRequest.get(uri))) {
                assertThat(response.status()).isEqualTo(200);
                response.body().readAllBytes();
            }
        }

        assertThat(good.connectionsAccepted()).as("one connection, reused").isEqualTo(1);
        List<AddressInfo> addresses = pool.addresses(Origin.of(uri));
        assertThat(addresses).extracting(AddressInfo::consecutiveFailures).containsOnly(0);
    }

    @Test
    void withoutFallbackTheSameHostFailsAtTheConnectTimeout() throws Exception {
        StubServer good = closing(StubServer.on(ip("127.0.0.1"), 0, null, OK));
        closing(BlackHole.on(ip("127.0.0.2"), good.port()));
        HotPoolConfig.Builder config = HotPoolConfig.builder().connectTimeout(Duration.ofMillis(700))
                .fallbackDelay(Duration.ZERO)
                .staticAddresses(Map.of("eyeballs.test", List.of("127.0.0.2", "127.0.0.1")));
        HotPool pool = closing(new HotPool(config.build()));

        assertThatThrownBy(() -> pool.execute(HotRequest.get(URI.create("http://eyeballs.test:" + good.port()
                + "/")))).isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.2");
        assertThat(good.connectionsAccepted()).isZero();
    }

    /** The fallback delay stepped by hand: tasks run when the test fires them, never by themselves. */
    private static final class StepTimer implements Dialer.Timer {

        final List<Long> delays = new CopyOnWriteArrayList<>();
        final List<Runnable> pending = new CopyOnWriteArrayList<>();
        final Semaphore scheduled = new Semaphore(0);
        volatile int fired;

        @Override
        public Runnable schedule(Runnable task, long delayMillis) {
            this.delays.add(delayMillis);
            this.pending.add(task);
            this.scheduled.release();
            return () -> this.pending.remove(task);
        }

        boolean awaitScheduled() throws InterruptedException {
            return this.scheduled.tryAcquire(5, TimeUnit.SECONDS);
        }

        void fire() {
            assertThat(this.pending).as("a scheduled fallback").isNotEmpty();
            Runnable task = this.pending.remove(0);
            this.fired++;
            task.run();
        }
    }
}
