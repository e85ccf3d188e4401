package dev.hotpool.internal.tls;

import java.net.InetAddress;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.hotpool.internal.spring.HotPoolRuntimeHints;
import dev.hotpool.testsupport.TestCertificates;
import dev.hotpool.testsupport.TestCertificates.KeyType;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProvider;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BouncyCastle services hotpool's JDK-first crypto falls back to are the ones {@link HotPoolRuntimeHints}
 * registers: handshakes with every built-in profile (and profiles that force ChaCha20-Poly1305 and, where the JDK
 * allows static RSA, RSA key exchange) against RSA and EC servers on TLS 1.3 and 1.2 run over BCJSSE built as
 * {@link BcJsse} builds it, with a fallback provider that records every service the JCA instantiates from it by name.
 * Each one recorded must be registered.
 *
 * <p>In {@code dev.hotpool.tls} for {@link JdkFirstHelper} and {@link TlsProvider#configure}, which are
 * package-private. The servers are SunJSSE on loopback; each is closed by the test.
 */
class BouncyCastleFallbackHintsTests {

    private static final Set<String> instantiated = new ConcurrentSkipListSet<>();

    private static final List<String> handshakes = new ArrayList<>();

    private static ExecutorService serverThreads;

    private final RuntimeHints hints = new RuntimeHints();

    BouncyCastleFallbackHintsTests() {
        new HotPoolRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @BeforeAll
    static void handshakeWithEveryProfile() throws Exception {
        serverThreads = Executors.newSingleThreadExecutor();
        JcaJceHelper helper = new JdkFirstHelper(new RecordingProvider());
        Provider jsse = new BouncyCastleJsseProvider(false, new JcaTlsCryptoProvider() {
            @Override
            public JcaJceHelper getHelper() {
                return helper;
            }
        });
        for (KeyType keyType : KeyType.values()) {
            TestCertificates certificates = TestCertificates.localhost(keyType);
            for (TlsProfile profile : profiles(keyType)) {
                for (String protocol : profile.protocols()) {
                    handshakes.add(handshake(jsse, certificates, profile, protocol));
                }
            }
        }
    }

    @AfterAll
    static void stopServerThreads() throws InterruptedException {
        serverThreads.shutdownNow();
        assertThat(serverThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static List<TlsProfile> profiles(KeyType keyType) {
        List<TlsProfile> profiles = new ArrayList<>(TlsProfile.builtIns().values());
        profiles.add(TlsProfile.builder("chacha13")
            .protocols(List.of("TLSv1.3"))
            .cipherSuites(List.of("TLS_CHACHA20_POLY1305_SHA256"))
            .build());
        profiles.add(TlsProfile.builder("chacha12")
            .protocols(List.of("TLSv1.2"))
            .cipherSuites(List.of("TLS_ECDHE_" + keyType.name().replace("EC", "ECDSA") + "_WITH_CHACHA20_POLY1305_SHA256"))
            .build());
        if (keyType == KeyType.RSA && staticRsaAllowed()) {
            profiles.add(TlsProfile.builder("rsa-key-exchange")
                .protocols(List.of("TLSv1.2"))
                .cipherSuites(List.of("TLS_RSA_WITH_AES_128_GCM_SHA256"))
                .build());
        }
        return profiles;
    }

    /**
     * Whether this JDK allows the static-RSA suites: Java 24 and later disable them ({@code TLS_RSA_*} in
     * jdk.tls.disabledAlgorithms), for BCJSSE's client and SunJSSE's server alike, so no one can use RSA key exchange.
     */
    private static boolean staticRsaAllowed() {
        return Stream.of(Security.getProperty("jdk.tls.disabledAlgorithms").split(","))
            .map(String::trim)
            .noneMatch("TLS_RSA_*"::equals);
    }

    /** One handshake to a SunJSSE server that speaks only {@code protocol}; what was agreed, as text. */
    private static String handshake(Provider jsse, TestCertificates certificates, TlsProfile profile, String protocol)
            throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", jsse);
        trust.init(certificates.trustStore());
        SSLContext context = SSLContext.getInstance("TLS", jsse);
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        try (SSLServerSocket server = certificates.serverSocket(InetAddress.getLoopbackAddress(), protocol)) {
            server.setSoTimeout(10_000);
            Future<?> accepted = serverThreads.submit(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    socket.getOutputStream().write(1);
                }
                return null;
            });
            Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            String agreed;
            try (SSLSocket client = (SSLSocket) context.getSocketFactory()
                .createSocket(raw, "localhost", server.getLocalPort(), true)) {
                client.setSoTimeout(10_000);
                Jsse.configure(TlsProvider.BC, client, profile, "localhost");
                client.startHandshake();
                assertThat(client.getInputStream().read()).as("the server's byte, after the handshake").isEqualTo(1);
                agreed = certificates.keyType() + " " + profile.name() + " " + client.getSession().getProtocol() + " "
                        + client.getSession().getCipherSuite();
            }
            accepted.get(10, TimeUnit.SECONDS); // After the client's close: SunJSSE's TLS 1.3 close waits for it.
            return agreed;
        }
    }

    @Test
    void theHandshakesRanOverTheFallbacksThatMatter() {
        assertThat(handshakes).contains("RSA modern TLSv1.3 TLS_AES_256_GCM_SHA384",
                "EC chacha13 TLSv1.3 TLS_CHACHA20_POLY1305_SHA256");
        if (staticRsaAllowed()) {
            assertThat(handshakes).contains("RSA rsa-key-exchange TLSv1.2 TLS_RSA_WITH_AES_128_GCM_SHA256");
        }
        assertThat(instantiated).as("RSA-PSS for TLS 1.3 to an RSA server, ChaCha20-Poly1305")
            .contains("org.bouncycastle.jcajce.provider.asymmetric.rsa.PSSSignatureSpi$SHA256withRSA",
                    "org.bouncycastle.jcajce.provider.symmetric.ChaCha$Base7539",
                    "org.bouncycastle.jcajce.provider.symmetric.Poly1305$Mac");
    }

    @Test
    void theParametersOfThePssSignaturesAreRegistered() throws ReflectiveOperationException {
        // The PSS signatures make these through BC's own helper (a provider of its own), not through the fallback.
        String parameters = new BouncyCastleProvider().getService("AlgorithmParameters", "PSS").getClassName();
        assertThat(RuntimeHintsPredicates.reflection()
            .onConstructorInvocation(Class.forName(parameters).getConstructor())).accepts(this.hints);
    }

    @TestFactory
    Stream<DynamicTest> everyServiceTheFallbackInstantiatedIsRegistered() {
        return new TreeSet<>(instantiated).stream()
            .map((service) -> DynamicTest.dynamicTest(service,
                    () -> assertThat(RuntimeHintsPredicates.reflection()
                        .onConstructorInvocation(Class.forName(service).getConstructor())).accepts(this.hints)));
    }

    /**
     * The fallback, as a BouncyCastle provider that notes the class of every service the JCA instantiates from it
     * (by name, through {@code Provider.Service.newInstance}, as a native image must allow).
     */
    private static final class RecordingProvider extends Provider {

        private final Provider bouncyCastle = new BouncyCastleProvider();

        RecordingProvider() {
            super("BC", "1.84", "BouncyCastle, recording the services instantiated");
        }

        @Override
        public synchronized Service getService(String type, String algorithm) {
            Service service = this.bouncyCastle.getService(type, algorithm);
            if (service == null) {
                return null;
            }
            return new Service(this, service.getType(), service.getAlgorithm(), service.getClassName(), null, null) {

                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    instantiated.add(service.getClassName());
                    return service.newInstance(parameter);
                }

                @Override
                public boolean supportsParameter(Object parameter) {
                    return service.supportsParameter(parameter);
                }
            };
        }
    }
}
