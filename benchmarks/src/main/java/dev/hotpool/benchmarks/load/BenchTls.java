package dev.hotpool.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The benchmark's trust: nginx's generated certificate (PEM) as an in-memory trust store, and SSL contexts over
 * it from the JDK's SunJSSE or from BouncyCastle's JSSE. The BCJSSE provider is built the way hotpool builds its
 * own (not registered with {@link java.security.Security}, crypto from the JDK's registered providers), so a
 * BCJSSE ceiling measures the same TLS stack hotpool's {@code bc} provider uses.
 *
 * <p>Thread-safe: immutable after construction; every {@code sslContext} call returns a new context.
 */
public final class BenchTls {

    /** Which JSSE a raw-socket ceiling speaks through. */
    public enum Jsse {
        /** The JDK's own provider, as every peer uses by default. */
        SUN,
        /** BouncyCastle's JSSE over JDK crypto, as hotpool's {@code bc} provider. */
        BC
    }

    private static final Provider BCJSSE = new BouncyCastleJsseProvider(false, new JcaTlsCryptoProvider());

    private final KeyStore trustStore;
    private final Certificate certificate;

    private BenchTls(KeyStore trustStore, Certificate certificate) {
        this.trustStore = trustStore;
        this.certificate = certificate;
    }

    /** Trust exactly the certificate in this PEM file. */
    public static BenchTls trusting(Path pem) throws IOException, GeneralSecurityException {
        Certificate cert;
        try (InputStream in = Files.newInputStream(pem)) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("nginx", cert);
        return new BenchTls(ks, cert);
    }

    public KeyStore trustStore() {
        return this.trustStore;
    }

    public Certificate certificate() {
        return this.certificate;
    }

    /** A new SunJSSE context trusting the certificate. */
    public SSLContext sslContext() {
        return sslContext(Jsse.SUN);
    }

    /** A new context of the given JSSE trusting the certificate. */
    public SSLContext sslContext(Jsse jsse) {
        try {
            SSLContext ctx;
            TrustManagerFactory tmf;
            if (jsse == Jsse.BC) {
                ctx = SSLContext.getInstance("TLS", BCJSSE);
                tmf = TrustManagerFactory.getInstance("PKIX", BCJSSE);
            }
            else {
                ctx = SSLContext.getInstance("TLS");
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            }
            tmf.init(this.trustStore);
            // Never a null SecureRandom with an unregistered BC provider: it would look up "DEFAULT".
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("benchmark: cannot build a " + jsse + " SSL context: " + e, e);
        }
    }
}
