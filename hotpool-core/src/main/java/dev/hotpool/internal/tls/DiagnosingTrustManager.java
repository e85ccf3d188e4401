package dev.hotpool.internal.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * BCJSSE's PKIX trust manager with better failures. The JDK's path builder, which BC uses, reports an expired
 * certificate as "unable to find valid certification path to requested target", exactly as it reports an
 * unknown issuer. When the delegate rejects a server's chain for a reason other than its host name, this looks
 * at the chain itself and throws {@link CertificateExpiredException} / {@link CertificateNotYetValidException}
 * when a certificate is outside its validity, else {@link UntrustedCertificateException} naming the
 * certificate and its issuer. The delegate's exception is always the cause.
 *
 * <p>Thread-safe if the delegate is (BC's is).
 */
final class DiagnosingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;

    private DiagnosingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /** Wraps an extended trust manager; others are returned as they are. */
    static X509TrustManager wrap(X509TrustManager trustManager) {
        return trustManager instanceof X509ExtendedTrustManager extended ? new DiagnosingTrustManager(extended)
                : trustManager;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            this.delegate.checkServerTrusted(chain, authType, socket);
        }
        catch (CertificateException ex) {
            throw diagnose(chain, ex);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            this.delegate.checkServerTrusted(chain, authType, engine);
        }
        catch (CertificateException ex) {
            throw diagnose(chain, ex);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            this.delegate.checkServerTrusted(chain, authType);
        }
        catch (CertificateException ex) {
            throw diagnose(chain, ex);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        this.delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        this.delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        this.delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return this.delegate.getAcceptedIssuers();
    }

    static CertificateException diagnose(X509Certificate[] chain, CertificateException failure) {
        if (chain == null || chain.length == 0 || HandshakeFailures.isHostMismatch(failure)) {
            return failure;
        }
        Date now = Date.from(Instant.now());
        for (X509Certificate certificate : chain) {
            String subject = certificate.getSubjectX500Principal().getName();
            if (now.after(certificate.getNotAfter())) {
                CertificateException expired = new CertificateExpiredException(
                        subject + " expired on " + certificate.getNotAfter().toInstant());
                expired.initCause(failure);
                return expired;
            }
            if (now.before(certificate.getNotBefore())) {
                CertificateException notYetValid = new CertificateNotYetValidException(
                        subject + " is valid only from " + certificate.getNotBefore().toInstant());
                notYetValid.initCause(failure);
                return notYetValid;
            }
        }
        return new UntrustedCertificateException(chain[0], failure);
    }

    /**
     * The delegate did not trust a chain whose certificates are all within their validity: the message names
     * the server's certificate and its issuer (or says it is self-signed).
     */
    static final class UntrustedCertificateException extends CertificateException {

        private static final long serialVersionUID = 1L;

        UntrustedCertificateException(X509Certificate leaf, CertificateException cause) {
            super(describe(leaf), cause);
        }

        private static String describe(X509Certificate leaf) {
            String subject = leaf.getSubjectX500Principal().getName();
            String issuer = leaf.getIssuerX500Principal().getName();
            return subject.equals(issuer) ? "self-signed " + subject : subject + " issued by " + issuer;
        }
    }
}
