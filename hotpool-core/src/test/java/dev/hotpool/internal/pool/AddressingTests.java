package dev.hotpool.internal.pool;

import dev.hotpool.AccessDeniedException;
import dev.hotpool.AddressInfo;
import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.Origin;
import dev.hotpool.net.AccessPolicy;
import dev.hotpool.net.LocalAddressPool;
import dev.hotpool.net.Resolver;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A host's whole address pool on loopback (Linux routes all of 127.0.0.0/8 there): spreading, DNS changes,
 * outlier ejection, failover, the access policy and local addresses.
 */
class AddressingTests {

    private static final StubServer.Handler OK = (req, ex) -> ex.respond(200, "ok");
    private static final StubServer.Handler FORBIDDEN = (req, ex) -> ex.respond(403, "no");

    private final TestClock clock = new TestClock();
    private final List<StubServer> servers = new ArrayList<>();
    private HotPool pool;
    private int port;

    @AfterEach
    void tearDown() {
        if (this.pool != null) {
            this.pool.close();
        }
        this.servers.forEach(StubServer::close);
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    /** One server per address, all on the same port. */
    private List<StubServer> serversOn(StubServer.Handler... handlers) throws IOException {
        List<StubServer> started = new ArrayList<>();
        for (int i = 0; i < handlers.length; i++) {
            StubServer s = StubServer.on(ip("127.0.0." + (i + 2)), this.port, null, handlers[i]);
            this.port = s.port();
            this.servers.add(s);
            started.add(s);
        }
        return started;
    }

    private URI uri(String host) {
        return URI.create("http://" + host + ":" + this.port + "/");
    }

    /** Sends {@code n} requests at once (each holds its connection until all have answered); returns statuses. */
    private List<Integer> concurrently(String host, int n) throws IOException {
        List<HotResponse> open = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                HotResponse r = this.pool.execute(HotRequest.get(uri(host)));
                open.add(r);
                statuses.add(r.status());
            }
        }
        finally {
            for (HotResponse r : open) {
                r.body().readAllBytes();
                r.close();
            }
        }
        return statuses;
    }

    private static List<Integer> accepted(List<StubServer> servers) {
        return servers.stream().map(StubServer::connectionsAccepted).toList();
    }

    private HotPoolConfig.Builder staticPool(String... addresses) {
        return HotPoolConfig.builder().clock(this.clock).maxConnsPerHost(50).maxConnections(100)
                .staticAddresses(Map.of("api.test", List.of(addresses)));
    }

    @Test
    void connectionsSpreadEvenlyOverAStaticPoolOfThreeAddresses() throws Exception {
        List<StubServer> three = serversOn(OK, OK, OK);
        this.pool = new HotPool(staticPool("127.0.0.2", "127.0.0.3", "127.0.0.4").build());

        assertThat(concurrently("api.test", 30)).containsOnly(200);

        assertThat(accepted(three)).containsExactly(10, 10, 10);
        assertThat(this.pool.addresses(Origin.of(uri("api.test")))).extracting(AddressInfo::connections)
                .containsExactly(10, 10, 10);
    }

    @Test
    void newConnectionsFollowAChangedDnsAnswerAndOldAddressesRetire() throws Exception {
        List<StubServer> two = serversOn(OK, OK);
        AtomicReference<List<InetAddress>> answer = new AtomicReference<>(List.of(ip("127.0.0.2")));
        Resolver resolver = host -> answer.get();
        this.pool = new HotPool(HotPoolConfig.builder().clock(this.clock).resolver(resolver)
                .dnsRefreshInterval(Duration.ofSeconds(30)).build());
        concurrently("moving.test", 2);
        assertThat(accepted(two)).containsExactly(2, 0);
        HotResponse leased = this.pool.execute(HotRequest.get(uri("moving.test")));

        answer.set(List.of(ip("127.0.0.3")));
        this.clock.advance(Duration.ofSeconds(31));
        assertThat(this.pool.runHealthCheck().closed()).containsEntry(CloseReason.EVICTED, 1); // The idle one.

        leased.close(); // Retires instead of going back to the pool.
        assertThat(this.pool.stats().total()).isZero();
        concurrently("moving.test", 2);
        assertThat(accepted(two)).containsExactly(2, 2);
    }

    @Test
    void addressAnswering403IsEjectedUntilItsEjectionEndsAndLongerTheSecondTime() throws Exception {
        List<StubServer> three = serversOn(OK, FORBIDDEN, OK);
        this.pool = new HotPool(staticPool("127.0.0.2", "127.0.0.3", "127.0.0.4").build());
        Origin origin = Origin.of(uri("api.test"));

        assertThat(concurrently("api.test", 3)).containsExactlyInAnyOrder(200, 200, 403);
        assertThat(this.pool.addresses(origin)).filteredOn(AddressInfo::ejected).extracting(AddressInfo::address)
                .containsExactly("127.0.0.3");
        assertThat(this.pool.stats().closed().get(CloseReason.EJECTED)).isEqualTo(1);
        this.pool.evictIdle(null);

        assertThat(concurrently("api.test", 6)).containsOnly(200);
        assertThat(three.get(1).connectionsAccepted()).isEqualTo(1); // No new connection while ejected.
        this.pool.evictIdle(null);

        this.clock.advance(Duration.ofSeconds(34)); // 30 s base, at most 10% jitter.
        assertThat(concurrently("api.test", 3)).contains(403);
        assertThat(three.get(1).connectionsAccepted()).isEqualTo(2); // Tried again, ejected again.
        this.pool.evictIdle(null);

        this.clock.advance(Duration.ofSeconds(34)); // The second ejection lasts 60 s.
        assertThat(concurrently("api.test", 3)).containsOnly(200);
        assertThat(three.get(1).connectionsAccepted()).isEqualTo(2);
        this.pool.evictIdle(null);

        this.clock.advance(Duration.ofSeconds(33));
        concurrently("api.test", 3);
        assertThat(three.get(1).connectionsAccepted()).isEqualTo(3);
        assertThat(this.pool.traffic().ejections()).isEqualTo(3);
    }

    @Test
    void withTwoOfThreeFailingAtMostHalfAreEjectedAndOneFailingAddressStaysInUse() throws Exception {
        List<StubServer> three = serversOn(OK, FORBIDDEN, FORBIDDEN);
        this.pool = new HotPool(staticPool("127.0.0.2", "127.0.0.3", "127.0.0.4").build());

        concurrently("api.test", 3);
        List<AddressInfo> addresses = this.pool.addresses(Origin.of(uri("api.test")));
        assertThat(addresses).filteredOn(AddressInfo::ejected).hasSize(1);
        String stillUsed = addresses.stream().filter(a -> !a.ejected() && !a.address().equals("127.0.0.2"))
                .findFirst().orElseThrow().address();
        this.pool.evictIdle(null);

        concurrently("api.test", 4);

        StubServer failingButUsable = three.get(stillUsed.equals("127.0.0.3") ? 1 : 2);
        assertThat(failingButUsable.connectionsAccepted()).isGreaterThan(1);
    }

    @Test
    void connectFailureOnOneAddressFailsOverToTheNext() throws Exception {
        StubServer only = serversOn(OK).get(0); // On 127.0.0.2; nothing listens on 127.0.0.9.
        this.pool = new HotPool(staticPool("127.0.0.9", "127.0.0.2").build());

        assertThat(concurrently("api.test", 4)).containsOnly(200);

        assertThat(only.connectionsAccepted()).isEqualTo(4);
        assertThat(this.pool.addresses(Origin.of(uri("api.test")))).filteredOn(a -> a.address().equals("127.0.0.9"))
                .singleElement().satisfies(a -> assertThat(a.consecutiveFailures() > 0 || a.ejected()).isTrue());
    }

    @Test
    void accessPolicyRefusesByRuleBeforeAnythingIsSent() throws Exception {
        StubServer server = serversOn(OK).get(0);
        this.pool = new HotPool(staticPool("127.0.0.2").accessPolicy(AccessPolicy.of(List.of(), List.of(), true))
                .build());

        assertThatThrownBy(() -> concurrently("api.test", 1))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("hotpool: connecting to api.test at 127.0.0.2 is refused: private network (loopback) "
                        + "blocked by hotpool.access.block-private-networks; nothing was sent");
        assertThat(server.connectionsAccepted()).isZero();
        this.pool.close();

        this.pool = new HotPool(staticPool("127.0.0.2")
                .accessPolicy(AccessPolicy.of(List.of(), List.of("*.test"), false)).build());
        assertThatThrownBy(() -> concurrently("api.test", 1)).hasMessageEndingWith("deny entry *.test; nothing was sent");
        this.pool.close();

        this.pool = new HotPool(staticPool("127.0.0.2")
                .accessPolicy(AccessPolicy.of(List.of("127.0.0.2/32"), List.of(), true)).build());
        assertThat(concurrently("api.test", 1)).containsExactly(200);
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void nameThatReResolvesToAnAddressOutsideTheAllowedRangeIsRefusedOnTheNextConnect() throws Exception {
        StubServer server = serversOn(OK).get(0);
        AtomicReference<List<InetAddress>> answer = new AtomicReference<>(List.of(ip("127.0.0.2")));
        this.pool = new HotPool(HotPoolConfig.builder().clock(this.clock).resolver(host -> answer.get())
                .dnsRefreshInterval(Duration.ofSeconds(30))
                .accessPolicy(AccessPolicy.of(List.of("127.0.0.2/32"), List.of(), true)).build());
        assertThat(concurrently("rebind.test", 1)).containsExactly(200);

        answer.set(List.of(ip("127.0.0.1")));
        this.clock.advance(Duration.ofSeconds(31));
        this.pool.runHealthCheck(); // Re-resolves; the connection to the old address retires.

        assertThatThrownBy(() -> concurrently("rebind.test", 1))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("hotpool: connecting to rebind.test at 127.0.0.1 is refused: private network (loopback) "
                        + "blocked by hotpool.access.block-private-networks; nothing was sent");
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void connectionsGoOutFromEachConfiguredLocalAddressInTurn() throws Exception {
        StubServer server = serversOn(OK).get(0);
        this.pool = new HotPool(staticPool("127.0.0.2")
                .localAddresses(LocalAddressPool.of(List.of("127.0.0.5", "127.0.0.6"))).build());

        concurrently("api.test", 4);

        assertThat(server.clientAddresses()).extracting(InetAddress::getHostAddress)
                .containsOnly("127.0.0.5", "127.0.0.6").contains("127.0.0.5", "127.0.0.6");
    }
}
