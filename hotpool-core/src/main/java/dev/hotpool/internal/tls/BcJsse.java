package dev.hotpool.internal.tls;

import java.security.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The one BouncyCastle JSSE provider of the JVM, created on first use and <em>never</em> registered with
 * {@link java.security.Security}: it is passed by instance to {@code getInstance(…, provider)}, so the host
 * application's JCA (its default {@code SSLContext}, its providers' order) stays exactly as it was.
 *
 * <p>Thread-safe: the holder idiom creates the provider once; the provider itself is thread-safe.
 */
final class BcJsse {

    /**
     * BC logs through JUL under this name: INFO with a stack trace for every fatal alert, which would
     * flood an application's log with handshakes hotpool already reports in its own exceptions. Held
     * strongly because JUL keeps loggers only weakly and a collected logger forgets its level.
     */
    private static final Logger BC_JSSE_LOG = Logger.getLogger("org.bouncycastle.jsse");

    /**
     * The client's handshake logger: it also logs, at WARNING with a stack trace, the internal_error alert BC
     * raises when the socket fails under it (a timed-out handshake whose socket was closed, a server hanging up).
     * Every one of those is a {@link dev.hotpool.TlsHandshakeException} or an I/O error the caller sees.
     */
    private static final Logger BC_TLS_CLIENT_LOG = Logger.getLogger("org.bouncycastle.jsse.provider.ProvTlsClient");

    /**
     * Logs, once per JVM and at WARNING, that BC ignores the {@code jdkCA} and {@code usage} parts of
     * {@code jdk.certpath.disabledAlgorithms}. That gap is documented in docs/tls.md; the line itself would
     * only alarm every application at startup.
     */
    private static final Logger BC_DISABLED_ALGORITHMS_LOG = Logger
        .getLogger("org.bouncycastle.jsse.provider.DisabledAlgorithmConstraints");

    private BcJsse() {
    }

    /** The provider (created, and BC's logging quieted, on the first call). */
    static Provider provider() {
        return Holder.PROVIDER;
    }

    /**
     * Lets only warnings and worse through from BC's JSSE loggers (dropped parameters, ignored security
     * properties), and only errors from its client handshake logger, unless the application set a level on
     * those loggers itself (then its choice stands).
     */
    static void quietLogging() {
        if (BC_JSSE_LOG.getLevel() == null) {
            BC_JSSE_LOG.setLevel(Level.WARNING);
        }
        if (BC_TLS_CLIENT_LOG.getLevel() == null) {
            BC_TLS_CLIENT_LOG.setLevel(Level.SEVERE);
        }
        if (BC_DISABLED_ALGORITHMS_LOG.getLevel() == null) {
            BC_DISABLED_ALGORITHMS_LOG.setLevel(Level.SEVERE);
        }
    }

    private static Provider create() {
        quietLogging();
        // An unregistered BC provider serves only what the JDK lacks (RSA-PSS, ChaCha20-Poly1305).
        JcaJceHelper helper = new JdkFirstHelper(new BouncyCastleProvider());
        JcaTlsCryptoProvider crypto = new JcaTlsCryptoProvider() {
            @Override
            public JcaJceHelper getHelper() {
                return helper;
            }
        };
        // The explicit constructor: the no-argument one reads -Dorg.bouncycastle.jsse.config, which could switch
        // the provider to FIPS mode or another crypto provider behind the application's back.
        return new BouncyCastleJsseProvider(false, crypto);
    }

    private static final class Holder {

        static final Provider PROVIDER = create();
    }
}
