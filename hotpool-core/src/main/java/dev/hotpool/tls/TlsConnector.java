package dev.hotpool.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.jsse.BCSNIHostName;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;

/**
 * Layers TLS over connected sockets with BouncyCastle's JSSE: TLS 1.3 and 1.2, SNI for host names (also for
 * {@code localhost}, which neither JSSE sends by itself), HTTPS hostname verification always on, ALPN
 * {@code http/1.1}.
 *
 * <p>One {@link SSLContext} per {@link TlsSettings} object (settings compare by identity), created on first use
 * and kept for the connector's life: applications create a handful of settings, not one per request.
 *
 * <p>A TLS 1.3 server that requires a client certificate and gets none (or one it does not trust) says so only
 * after the client's side of the handshake is complete: {@link #handshake} succeeds, and the server's alert
 * ({@code bad_certificate} from SunJSSE, {@code certificate_required} from OpenSSL) arrives on the first read as
 * BouncyCastle's {@code TlsFatalAlertReceived}, an {@code IOException}. TLS 1.2 servers fail the handshake itself.
 *
 * <p>Thread-safe. Handshakes run on the caller's thread; a handshake that outlives its budget is cancelled by
 * closing the raw socket from a shared watchdog thread, because {@code SSLSocket.close()} blocks on BCJSSE
 * while a handshake is under way.
 */
public final class TlsConnector {

    private static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

    private static final String[] APPLICATION_PROTOCOLS = { "http/1.1" };

    private final Map<TlsSettings, Context> contexts = new ConcurrentHashMap<>();

    public TlsConnector() {
    }

    /**
     * Layers TLS over a connected raw socket (autoClose=true), handshakes within timeoutMillis, returns the
     * connected SSLSocket. On any failure closes the raw socket and throws TlsHandshakeException naming origin,
     * address and the reason in words.
     *
     * <p>The returned socket's {@code soTimeout} is {@code timeoutMillis}; the caller sets its own afterwards.
     *
     * @param raw a connected plain socket; closed on failure, and closed with the returned socket
     * @param origin the origin whose host is verified against the certificate and sent as SNI
     * @param address the address {@code raw} is connected to (for messages)
     * @param settings trust and client key, or {@code null} for {@link TlsSettings#defaults()}
     * @param timeoutMillis the handshake's whole budget, at least 1
     * @throws TlsHandshakeException when the handshake failed or timed out
     */
    public SSLSocket handshake(Socket raw, Origin origin, InetSocketAddress address, TlsSettings settings,
            int timeoutMillis) throws IOException {
        TlsSettings tls = settings != null ? settings : TlsSettings.defaults();
        int budget = Math.max(1, timeoutMillis);
        Context context;
        try {
            context = context(tls);
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            closeQuietly(raw);
            throw failure(origin, address, HandshakeFailures.unusableSettings(tls, ex), ex);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        SSLSocket ssl = null;
        try {
            ssl = (SSLSocket) context.sslContext().getSocketFactory().createSocket(raw, origin.host(), origin.port(), true);
            ssl.setSoTimeout(budget);
            configure((BCSSLSocket) ssl, origin.host());
            watchdog = HandshakeWatchdog.schedule(() -> {
                timedOut.set(true);
                closeQuietly(raw);
            }, budget);
            ssl.startHandshake();
            watchdog.cancel(false);
            if (timedOut.get()) {
                // The watchdog closed the socket just as the handshake finished.
                throw new SocketTimeoutException("the handshake outlived its budget");
            }
            return ssl;
        }
        catch (IOException | RuntimeException ex) {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            // Never SSLSocket.close(): on BCJSSE it can block on the handshake's lock until soTimeout.
            closeQuietly(raw);
            boolean certificateWanted = ssl != null && context.keys().certificateWanted(ssl);
            String reason = timedOut.get() ? HandshakeFailures.timedOut(budget)
                    : HandshakeFailures.reason(ex, origin, tls, budget, certificateWanted);
            throw failure(origin, address, reason, ex);
        }
        finally {
            if (ssl != null) {
                context.keys().forget(ssl);
            }
        }
    }

    private static TlsHandshakeException failure(Origin origin, InetSocketAddress address, String reason, Throwable cause) {
        return new TlsHandshakeException("hotpool: TLS handshake with " + origin + " (" + describe(address) + ") failed: "
                + reason, cause);
    }

    @Override
    public String toString() {
        return "TlsConnector[" + BcJsse.provider().getName() + ", " + this.contexts.size() + " contexts]";
    }

    private Context context(TlsSettings settings) throws GeneralSecurityException {
        Context context = this.contexts.get(settings);
        if (context != null) {
            return context;
        }
        try {
            return this.contexts.computeIfAbsent(settings, (s) -> {
                try {
                    return createContext(s);
                }
                catch (GeneralSecurityException ex) {
                    throw new ContextFailure(ex);
                }
            });
        }
        catch (ContextFailure ex) {
            throw ex.cause;
        }
    }

    private static Context createContext(TlsSettings settings) throws GeneralSecurityException {
        Provider bcjsse = BcJsse.provider();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", bcjsse);
        tmf.init(settings.trustStore());
        TrustManager[] trustManagers = tmf.getTrustManagers();
        for (int i = 0; i < trustManagers.length; i++) {
            if (trustManagers[i] instanceof X509TrustManager x509) {
                trustManagers[i] = DiagnosingTrustManager.wrap(x509);
            }
        }
        X509ExtendedKeyManager keyManager = null;
        KeyStore keyStore = settings.keyStore();
        if (keyStore != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", bcjsse);
            char[] password = settings.keyPassword();
            kmf.init(keyStore, password != null ? password : new char[0]);
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager x509) {
                    keyManager = x509;
                    break;
                }
            }
        }
        ClientKeyChooser keys = new ClientKeyChooser(keyManager);
        SSLContext sslContext = SSLContext.getInstance("TLS", bcjsse);
        // Never a null SecureRandom: BC would look up "DEFAULT", which only a registered BC provider has.
        sslContext.init(new KeyManager[] { keys }, trustManagers, new SecureRandom());
        return new Context(sslContext, keys);
    }

    private static void configure(BCSSLSocket socket, String host) {
        BCSSLParameters p = socket.getParameters();
        p.setProtocols(PROTOCOLS.clone());
        p.setApplicationProtocols(APPLICATION_PROTOCOLS.clone());
        p.setEndpointIdentificationAlgorithm("HTTPS");
        BCSNIHostName sni = sniHostName(host);
        if (sni != null) {
            // BC, like SunJSSE, sends SNI by itself only for names with a dot: not for "localhost".
            p.setServerNames(List.of(sni));
        }
        socket.setParameters(p);
    }

    /** The SNI name for a host, or {@code null} for IP literals and names SNI cannot carry. */
    static BCSNIHostName sniHostName(String host) {
        if (isIpLiteral(host)) {
            return null;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return new BCSNIHostName(name);
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            return null;
        }
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    static String describe(InetSocketAddress address) {
        if (address == null) {
            return "unknown address";
        }
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        int percent = host.indexOf('%');
        if (percent >= 0 && host.indexOf(':') >= 0) {
            host = host.substring(0, percent);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // Closing is all that was wanted.
        }
    }

    /** A context of one {@link TlsSettings} and its key chooser, which knows which servers wanted a client certificate. */
    private record Context(SSLContext sslContext, ClientKeyChooser keys) {
    }

    /** Carries a checked failure out of {@code computeIfAbsent}. */
    private static final class ContextFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        final GeneralSecurityException cause;

        ContextFailure(GeneralSecurityException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
