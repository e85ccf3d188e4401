package dev.hotpool;

/**
 * A TLS handshake failed. The message names the origin, the address and the reason in words (host
 * name mismatch, untrusted certificate, …); the cause is the provider's exception.
 */
public class TlsHandshakeException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public TlsHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
