package dev.hotpool;

import dev.hotpool.internal.http2.Frame;
import dev.hotpool.internal.http2.FrameType;
import dev.hotpool.internal.http2.Setting;
import dev.hotpool.testsupport.Await;
import dev.hotpool.testsupport.H2TestServer;
import dev.hotpool.testsupport.StubServer;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfiles;
import dev.hotpool.tls.TlsProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests on virtual threads never pin their carrier: while a request waits in line for a connection (the pool is
 * full) and while it reads a response that arrives slowly, over plain HTTP and over TLS with either provider. JFR
 * records a {@code jdk.VirtualThreadPinned} event whenever a virtual thread parks and cannot leave its carrier; the
 * test records them (threshold 0, with stack traces) and fails on any whose stack holds a hotpool frame, or is
 * truncated so it cannot be told.
 *
 * <p>What pins depends on the JDK. On Java 21 to 23 a virtual thread that blocks inside {@code synchronized} (or in
 * {@code Object.wait()}) pins, so there the test would also guard hotpool's rule of no monitors on blocking paths (and
 * catch BouncyCastle's {@code synchronized} {@code startHandshake()} holding a handshake's reads; not run here, the
 * machine has Java 17 and 25). Java 24 (JEP 491) lets such
 * threads unmount: on Java 25, which the build runs beside 17, what still pins is blocking under a native frame, inside
 * a class initializer, or while the JVM loads a class. Tried on Java 25.0.3: a class initializer that parks, reached
 * from the pool's wait for a connection during the recorded run, fails the test ("VM call to …&lt;clinit&gt; on
 * stack", with {@code ConnectionPool.await} below it); a {@code synchronized} block around that same wait does not,
 * as JEP 491 says. {@link #aPinIsRecordedAndPointsAtItsFrame} keeps showing that the recording catches a pin in
 * hotpool's code on the running JDK, so a clean run means something.
 *
 * <p>Virtual threads are final from Java 21: on Java 17 the class is skipped. It is compiled for Java 17, so it
 * reaches the Java 21 API by reflection.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads are final only from Java 21")
class VirtualThreadTests {

    private static final String BODY = "0123456789".repeat(20);

    private static final int PER_ORIGIN = 8;

    private static final int CONNECTIONS_PER_ORIGIN = 2;

    @TempDir
    Path recordings;

    /**
     * Sixteen requests on virtual threads, eight to a plain and eight to a TLS origin, each capped at two connections:
     * four read responses that stall mid-body until the other twelve are waiting in line, then every response comes
     * in slowly. The scenario runs once before the recording: the first use of a class pins while the JVM loads or
     * initializes it ("Freeze or preempt failed", "Waited for initialization of … by another thread"), once per JVM,
     * whoever the caller is.
     */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void requestsWaitingForAConnectionAndReadingASlowResponseNeverPinTheirCarrier(TlsProvider provider)
            throws Exception {
        slowRequestsBehindAFullPool(provider);
        List<RecordedEvent> pins = pinsDuring(() -> slowRequestsBehindAFullPool(provider));
        assertThat(pins.stream().filter(VirtualThreadTests::pointsAtHotpool).map(VirtualThreadTests::describe))
            .as("virtual threads pinned with a hotpool frame on the stack").isEmpty();
    }

    private void slowRequestsBehindAFullPool(TlsProvider provider) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stalled = new AtomicInteger();
        StubServer.Handler slow = (req, ex) -> {
            ex.raw("HTTP/1.1 200 OK\r\nContent-Length: " + BODY.length() + "\r\n\r\n");
            ex.raw(BODY.substring(0, 20));
            stalled.incrementAndGet();
            await(release); // The first responses stall mid-body until every other request is in line.
            for (int at = 20; at < BODY.length(); at += 60) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                ex.raw(BODY.substring(at, Math.min(BODY.length(), at + 60)));
            }
        };
        TestCertificates certs = TestCertificates.forHosts(KeyType.EC, "tls.test");
        try (StubServer plain = StubServer.http(slow);
                StubServer tls = StubServer.https(certs.serverContext(), slow);
                HotPool pool = new HotPool(HotPoolConfig.builder().maxConnsPerHost(CONNECTIONS_PER_ORIGIN)
                    .acquireTimeout(Duration.ofSeconds(30)).readTimeout(Duration.ofSeconds(30))
                    .tls(certs.clientSettings()).tlsProfiles(TlsProfiles.builder().provider(provider).build())
                    .staticAddresses(Map.of("plain.test", List.of("127.0.0.1"), "tls.test", List.of("127.0.0.1")))
                    .build())) {
            List<URI> uris = List.of(URI.create("http://plain.test:" + plain.port() + "/"),
                    URI.create("https://tls.test:" + tls.port() + "/"));
            ExecutorService virtualThreads = newVirtualThreadPerTaskExecutor();
            try {
                List<Future<String>> calls = new ArrayList<>();
                for (int i = 0; i < PER_ORIGIN; i++) {
                    for (URI uri : uris) {
                        calls.add(virtualThreads.submit(() -> onAVirtualThread(() -> get(pool, uri))));
                    }
                }
                int lines = uris.size();
                Await.until(() -> stalled.get() == lines * CONNECTIONS_PER_ORIGIN
                        && pool.stats().leased() == lines * CONNECTIONS_PER_ORIGIN
                        && pool.stats().pending() == lines * (PER_ORIGIN - CONNECTIONS_PER_ORIGIN));
                release.countDown();
                for (Future<String> call : calls) {
                    assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(BODY);
                }
            }
            finally {
                release.countDown();
                virtualThreads.shutdownNow();
            }
            assertThat(plain.maxOpenConnections()).isEqualTo(CONNECTIONS_PER_ORIGIN);
            assertThat(tls.maxOpenConnections()).isEqualTo(CONNECTIONS_PER_ORIGIN);
            assertThat(plain.requestsServed() + tls.requestsServed()).isEqualTo(uris.size() * PER_ORIGIN);
        }
    }

    /**
     * The same over HTTP/2: eight requests on virtual threads share one h2c connection whose server allows two streams
     * at a time, so six wait for a stream while two read responses that come in slowly, frame by frame.
     */
    @Test
    void http2StreamsWaitingForASlotAndReadingSlowDataNeverPinTheirCarrier() throws Exception {
        slowStreamsBehindAFullConnection();
        List<RecordedEvent> pins = pinsDuring(this::slowStreamsBehindAFullConnection);
        assertThat(pins.stream().filter(VirtualThreadTests::pointsAtHotpool).map(VirtualThreadTests::describe))
            .as("virtual threads pinned with a hotpool frame on the stack").isEmpty();
    }

    private void slowStreamsBehindAFullConnection() throws Exception {
        try (H2TestServer server = H2TestServer.h2c((peer) -> {
            peer.handshake(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 2)));
            List<Integer> ready = new ArrayList<>();
            while (true) {
                Frame f = peer.readFrame();
                if (f.type() == FrameType.GOAWAY) {
                    return;
                }
                if (f.type() == FrameType.SETTINGS && !f.isAck()) {
                    peer.settingsAck();
                }
                if (f.type() == FrameType.HEADERS) {
                    peer.readBlock(f);
                    ready.add(f.streamId());
                }
                if (ready.size() == 2) { // Both streams in use: answer them slowly, then take the next two.
                    for (int id : ready) {
                        peer.headers(id, List.of(new Header(":status", "200")), false);
                    }
                    for (int at = 0; at < BODY.length(); at += 50) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                        for (int id : ready) {
                            peer.data(id, BODY.substring(at, at + 50).getBytes(StandardCharsets.US_ASCII),
                                    at + 50 >= BODY.length());
                        }
                    }
                    ready.clear();
                }
            }
        });
                HotPool pool = new HotPool(HotPoolConfig.builder().maxConnsPerHost(1)
                    .acquireTimeout(Duration.ofSeconds(30)).readTimeout(Duration.ofSeconds(30))
                    .host("h2c.test", HostSettings.builder().protocols(List.of("h2c")).build())
                    .staticAddresses(Map.of("h2c.test", List.of("127.0.0.1"))).build())) {
            URI uri = URI.create("http://h2c.test:" + server.port() + "/");
            ExecutorService virtualThreads = newVirtualThreadPerTaskExecutor();
            try {
                List<Future<String>> calls = new ArrayList<>();
                for (int i = 0; i < PER_ORIGIN; i++) {
                    calls.add(virtualThreads.submit(() -> onAVirtualThread(() -> get(pool, uri))));
                }
                for (Future<String> call : calls) {
                    assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(BODY);
                }
            }
            finally {
                virtualThreads.shutdownNow();
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    /**
     * The recording's own check: a virtual thread of hotpool's that blocks where the running JDK cannot unmount it (a
     * class initializer pins on every JDK with virtual threads) gives an event the test above would fail on.
     */
    @Test
    void aPinIsRecordedAndPointsAtItsFrame() throws Exception {
        List<RecordedEvent> pins = pinsDuring(() -> {
            ExecutorService virtualThreads = newVirtualThreadPerTaskExecutor();
            try {
                virtualThreads.submit(() -> onAVirtualThread(() -> BlocksInItsInitializer.TOUCHED)).get(10,
                        TimeUnit.SECONDS);
            }
            finally {
                virtualThreads.shutdownNow();
            }
        });
        assertThat(pins).filteredOn(VirtualThreadTests::pointsAtHotpool).singleElement()
            .satisfies((pin) -> assertThat(describe(pin))
                .contains(BlocksInItsInitializer.class.getName() + ".<clinit>"));
    }

    /** Parks in its static initializer: the VM runs initializers with a native frame below them. */
    private static final class BlocksInItsInitializer {

        static final boolean TOUCHED;

        static {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            TOUCHED = true;
        }
    }

    private interface Scenario {
        void run() throws Exception;
    }

    /** The {@code jdk.VirtualThreadPinned} events of the JVM while the scenario ran, each with its stack. */
    private List<RecordedEvent> pinsDuring(Scenario scenario) throws Exception {
        Path file = this.recordings.resolve("pins.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            scenario.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
            .filter((e) -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();
    }

    /** Whether a hotpool frame is on the pinned stack, or the stack is cut short and might hold one. */
    private static boolean pointsAtHotpool(RecordedEvent pin) {
        if (pin.getStackTrace() == null || pin.getStackTrace().isTruncated()) {
            return true;
        }
        return pin.getStackTrace().getFrames().stream().anyMatch((f) -> typeOf(f).startsWith("dev.hotpool."));
    }

    private static String describe(RecordedEvent pin) {
        String frames = pin.getStackTrace() == null ? "(no stack)"
                : pin.getStackTrace().getFrames().stream().map((f) -> typeOf(f) + "." + f.getMethod().getName())
                    .collect(Collectors.joining(" < "));
        String reason = pin.hasField("pinnedReason") ? pin.getString("pinnedReason") + ": " : "";
        return reason + pin.getDuration().toMillis() + " ms at " + frames;
    }

    private static String typeOf(RecordedFrame frame) {
        return frame.getMethod().getType().getName();
    }

    private static String get(HotPool pool, URI uri) {
        try (HotResponse response = pool.execute(HotRequest.get(uri))) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Runs the call after checking it is on a virtual thread (so the test cannot pass on platform threads). */
    private static <T> T onAVirtualThread(Callable<T> call) throws Exception {
        assertThat(isVirtual(Thread.currentThread())).as("on a virtual thread").isTrue();
        return call.call();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the responses");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, Java 21 API reached from code compiled for Java 17. */
    private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    /** {@code Thread.isVirtual()}, Java 21 API. */
    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        Method isVirtual = Thread.class.getMethod("isVirtual");
        return (boolean) isVirtual.invoke(thread);
    }
}
