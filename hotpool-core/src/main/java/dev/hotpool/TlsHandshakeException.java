package dev.hotpool;

import javax.net.ssl.SSLHandshakeException;

/**
 * A TLS handshake failed. The message names the origin, the address, the TLS profile and the reason in words (host
 * name mismatch, untrusted certificate, no cipher suite in common, …); the cause is the provider's exception.
 *
 * <p>It is an {@link SSLHandshakeException}, as Spring's other request factories throw, so code that catches
 * {@code SSLHandshakeException} or {@code SSLException} sees it whichever TLS provider ({@code bc} or {@code jdk})
 * made the handshake. It is not a {@link HotPoolException}.
 */
public class TlsHandshakeException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    public TlsHandshakeException(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
