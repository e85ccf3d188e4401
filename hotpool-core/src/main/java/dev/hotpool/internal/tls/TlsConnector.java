package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.TlsHandshakeException;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProvider;
import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.jsse.BCSNIHostName;

/**
 * Layers TLS over connected sockets with one {@link TlsProvider} (BouncyCastle's JSSE unless told otherwise), each
 * connection with a {@link TlsProfile}: protocols, cipher suites, groups, key shares, signature schemes and ALPN as
 * the profile says, SNI for host names (also for {@code localhost}, which neither JSSE sends by itself), HTTPS
 * hostname verification always on.
 *
 * <p>One set of trust and key managers per {@link TlsSettings} object (settings compare by identity), and one
 * {@link SSLContext} per settings and profile, created on first use and kept for the connector's life: applications
 * create a handful of settings and profiles, not one per request. A context per profile keeps TLS 1.2 session
 * resumption within a profile: a connection never resumes a session another profile negotiated (which would tie
 * rotated profiles together and could resume a suite the profile does not offer).
 *
 * <p>A TLS 1.3 server that requires a client certificate says so only after the client's side of the handshake is
 * complete. When it asked for one and got none, {@link #handshake} waits briefly for that verdict and fails as a
 * TLS 1.2 handshake would (not when ALPN agreed {@code h2}: an HTTP/2 server speaks first, so the verdict is left to
 * the first read, as below). When it got one it does not trust, the handshake succeeds and the server's alert
 * ({@code bad_certificate} from SunJSSE, {@code certificate_required} or {@code unknown_ca} from others) arrives on
 * the first read: on BouncyCastle as {@code org.bouncycastle.tls.TlsFatalAlertReceived}, on SunJSSE as an
 * {@code javax.net.ssl.SSLException} "Received fatal alert: …". {@link #rejectedAfterHandshake} turns either into
 * the {@link TlsHandshakeException} the handshake would have thrown.
 *
 * <p>Thread-safe. Handshakes run on the caller's thread; a handshake that outlives its budget is cancelled by
 * closing the raw socket from a shared watchdog thread, because {@code SSLSocket.close()} blocks on BCJSSE
 * while a handshake is under way.
 *
 * <p>Public for the engine, the HTTP layer and the assembly, in the other internal packages.
 */
public final class TlsConnector {

    /** The shortest wait for a TLS 1.3 server's verdict on a missing client certificate. */
    private static final int DEFAULT_VERDICT_WAIT_MILLIS = 100;

    private final TlsProvider provider;

    private final int minimumVerdictWaitMillis;

    /** Trust and key managers per settings (compared by identity), created on first use. */
    private final Map<TlsSettings, Material> materials = new ConcurrentHashMap<>();

    /** A context per settings and profile (both compared by identity), created on first use. */
    private final Map<ContextKey, SSLContext> contexts = new ConcurrentHashMap<>();

    /** The profile as narrowed by settings with SSL bundle options, per settings and profile. */
    private final Map<ContextKey, TlsProfile> narrowed = new ConcurrentHashMap<>();

    /** A connector on BouncyCastle's JSSE. */
    public TlsConnector() {
        this(TlsProvider.BC);
    }

    /** A connector on the given JSSE ({@code hotpool.tls.provider}). */
    public TlsConnector(TlsProvider provider) {
        this(provider, DEFAULT_VERDICT_WAIT_MILLIS);
    }

    /**
     * A connector whose wait for a TLS 1.3 server's verdict on a missing client certificate is at least
     * {@code minimumVerdictWaitMillis}: for tests that must see the verdict even when a busy machine delays the
     * server's thread past the usual 100 ms.
     */
    TlsConnector(TlsProvider provider, int minimumVerdictWaitMillis) {
        this.provider = Objects.requireNonNull(provider, "'provider' must not be null");
        this.minimumVerdictWaitMillis = minimumVerdictWaitMillis;
    }

    public TlsProvider provider() {
        return this.provider;
    }

    /**
     * {@link #handshake(Socket, Origin, InetSocketAddress, TlsSettings, TlsProfile, int)} with
     * {@link TlsProfile#DEFAULT}.
     */
    public SSLSocket handshake(Socket raw, Origin origin, InetSocketAddress address, TlsSettings settings,
            int timeoutMillis) throws IOException {
        return handshake(raw, origin, address, settings, TlsProfile.DEFAULT, timeoutMillis);
    }

    /**
     * {@link #handshake(Socket, Origin, InetSocketAddress, TlsSettings, TlsProfile, List, int)} offering the profile's
     * own ALPN list.
     */
    public SSLSocket handshake(Socket raw, Origin origin, InetSocketAddress address, TlsSettings settings,
            TlsProfile profile, int timeoutMillis) throws IOException {
        return handshake(raw, origin, address, settings, profile, profile.alpn(), timeoutMillis);
    }

    /**
     * Layers TLS over a connected raw socket (autoClose=true), handshakes with the profile within timeoutMillis,
     * returns the connected SSLSocket. On any failure closes the raw socket and throws TlsHandshakeException naming
     * origin, address, profile and the reason in words.
     *
     * <p>The ClientHello offers {@code alpn} in ALPN. What the server agreed is the returned socket's
     * {@code getApplicationProtocol()}: one of {@code alpn}, or {@code ""} when it agreed none (no ALPN on either
     * side). The handshake fails when the server picked a protocol that was not offered (no JSSE lets that through
     * today; the check keeps hotpool from speaking a protocol it never asked for if one did), and when it agreed none
     * while {@code alpn} offers protocols but not {@code http/1.1}: the protocol a server without ALPN speaks.
     *
     * <p>The returned socket's {@code soTimeout} is {@code timeoutMillis}; the caller sets its own afterwards.
     *
     * @param raw a connected plain socket; closed on failure, and closed with the returned socket
     * @param origin the origin whose host is verified against the certificate and sent as SNI
     * @param address the address {@code raw} is connected to (for messages)
     * @param settings trust and client key, or {@code null} for {@link TlsSettings#defaults()}
     * @param profile what the ClientHello offers; one verified ({@link TlsSetup}) for this connector's provider
     * @param alpn the ALPN protocols offered in place of the profile's own ({@code EffectiveHostSettings.alpn}),
     *     empty for no ALPN extension
     * @param timeoutMillis the handshake's whole budget, at least 1
     * @throws TlsHandshakeException when the handshake failed or timed out, or ALPN agreed on what was not offered
     */
    public SSLSocket handshake(Socket raw, Origin origin, InetSocketAddress address, TlsSettings settings,
            TlsProfile profile, List<String> alpn, int timeoutMillis) throws IOException {
        Objects.requireNonNull(profile, "'profile' must not be null");
        Objects.requireNonNull(alpn, "'alpn' must not be null");
        TlsSettings tls = settings != null ? settings : TlsSettings.defaults();
        int budget = Math.max(1, timeoutMillis);
        Material material;
        SSLContext context;
        TlsProfile offered;
        try {
            material = material(tls);
            context = context(tls, material, profile);
            offered = tls.hasOptions() ? narrowed(tls, profile, context) : profile;
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            closeQuietly(raw);
            throw failure(origin, address, profile, HandshakeFailures.unusableSettings(tls, ex), ex);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        SSLSocket ssl = null;
        try {
            ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, origin.host(), origin.port(), true);
            ssl.setSoTimeout(budget);
            Jsse.configure(this.provider, ssl, offered, alpn, origin.host());
            watchdog = HandshakeWatchdog.schedule(() -> {
                timedOut.set(true);
                closeQuietly(raw);
            }, budget);
            long start = System.nanoTime();
            ssl.startHandshake();
            String agreed = ssl.getApplicationProtocol();
            checkApplicationProtocol(agreed, alpn);
            ClientKeyChooser.Request request = material.keys().request(ssl);
            if (request != null && !request.answered() && "TLSv1.3".equals(ssl.getSession().getProtocol())
                    && !"h2".equals(agreed)) {
                // An HTTP/2 server speaks first (its SETTINGS), so its bytes say nothing of the verdict and cannot be
                // read here without losing them: a refusal then comes on the first read, which
                // rejectedAfterHandshake names as it does for a rejected certificate.
                awaitCertificateVerdict(ssl, start, budget);
            }
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
            ClientKeyChooser.Request request = ssl != null ? material.keys().request(ssl) : null;
            String reason = timedOut.get() ? HandshakeFailures.timedOut(budget)
                    : ex instanceof OwnVerdict ? ex.getMessage()
                    : HandshakeFailures.reason(ex, origin, tls, budget, request);
            if (reason.equals(HandshakeFailures.NO_APPLICATION_PROTOCOL)) {
                reason += " (" + String.join(", ", alpn) + ")";
            }
            throw failure(origin, address, profile, reason, ex);
        }
        finally {
            if (ssl != null) {
                material.keys().forget(ssl);
            }
        }
    }

    /**
     * Fails a handshake whose ALPN result hotpool cannot speak: a protocol it did not offer, or none when it offered
     * protocols without {@code http/1.1}.
     */
    static void checkApplicationProtocol(String agreed, List<String> offered) throws SSLException {
        if (agreed == null || agreed.isEmpty()) {
            if (!offered.isEmpty() && !offered.contains("http/1.1")) {
                throw new OwnVerdict("the server agreed no application protocol in ALPN, and only "
                        + String.join(", ", offered) + " was offered, not http/1.1 (what a server without ALPN speaks)"
                        + "; add http/1.1 to the protocols (hotpool.protocols, or the host's)");
            }
            return;
        }
        if (!offered.contains(agreed)) {
            throw new OwnVerdict("the server picked the application protocol '" + agreed + "' in ALPN, which was not"
                    + " offered (" + (offered.isEmpty() ? "no ALPN" : String.join(", ", offered)) + ")");
        }
    }

    /**
     * A TLS 1.3 server that asked for a client certificate and got none judges that after the client's side of the
     * handshake is over: if it requires one, its alert follows at once. This waits for the verdict (twice the
     * handshake's own time, 100 ms at least, within the budget) so that the failure is the handshake's, not the first
     * request's (whose write would often meet a reset and lose the alert). A server that makes the certificate
     * optional sends nothing, and the wait ends quietly.
     */
    private void awaitCertificateVerdict(SSLSocket ssl, long startNanos, int budget) throws IOException {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        int wait = (int) Math.min(budget - elapsed, Math.max(this.minimumVerdictWaitMillis, 2 * elapsed));
        if (wait <= 0) {
            return;
        }
        ssl.setSoTimeout(wait);
        int first;
        try {
            first = ssl.getInputStream().read();
        }
        catch (SocketTimeoutException quiet) {
            ssl.setSoTimeout(budget);
            return;
        }
        if (first >= 0) {
            throw new OwnVerdict("the server sent data before any request");
        }
        throw new SSLException("the server closed the connection after the handshake");
    }

    /**
     * The failure a TLS 1.3 server that rejected the client's certificate (or its lack of one) causes on the first
     * read or write after a successful {@link #handshake}, as the {@link TlsHandshakeException} that names it; or
     * {@code null} when {@code failure} is something else. Use it on the first exchange of a new connection only:
     * an alert on a reused connection is not about the handshake.
     *
     * <p>What it recognises: the server's fatal alert {@code bad_certificate}, {@code certificate_required},
     * {@code unknown_ca}, {@code certificate_unknown} (and the other certificate alerts, {@code access_denied}) as
     * BouncyCastle's {@code TlsFatalAlertReceived} or SunJSSE's {@code SSLException} "Received fatal alert: …",
     * anywhere in the cause chain. A server that closed before its alert was read shows up as a connection reset
     * instead, which cannot be told from any other reset and is not recognised.
     *
     * @param failure what the first read or write threw
     * @param address the address the connection went to
     * @param settings the connection's TLS settings (whether they carry a client key decides the wording)
     * @param profile the name of the connection's profile
     */
    public static TlsHandshakeException rejectedAfterHandshake(Throwable failure, Origin origin,
            InetSocketAddress address, TlsSettings settings, String profile) {
        String reason = HandshakeFailures.clientCertificateRejection(failure,
                settings != null ? settings : TlsSettings.defaults());
        return reason == null ? null : failure(origin, address, "profile '" + profile + "'",
                reason + " (said after the handshake)", failure);
    }

    private TlsHandshakeException failure(Origin origin, InetSocketAddress address, TlsProfile profile, String reason,
            Throwable cause) {
        return failure(origin, address, "profile '" + profile.name() + "'"
                + (this.provider == TlsProvider.BC ? "" : " on SunJSSE"), reason, cause);
    }

    private static TlsHandshakeException failure(Origin origin, InetSocketAddress address, String using, String reason,
            Throwable cause) {
        return new TlsHandshakeException("hotpool: TLS handshake with " + origin + " (" + describe(address) + ") using "
                + using + " failed: " + reason, cause);
    }

    @Override
    public String toString() {
        return "TlsConnector[" + this.provider.displayName() + ", " + this.materials.size() + " settings, "
                + this.contexts.size() + " contexts]";
    }

    private Material material(TlsSettings settings) throws GeneralSecurityException {
        Material material = this.materials.get(settings);
        if (material != null) {
            return material;
        }
        try {
            return this.materials.computeIfAbsent(settings, (s) -> {
                try {
                    return createMaterial(s);
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

    private SSLContext context(TlsSettings settings, Material material, TlsProfile profile)
            throws GeneralSecurityException {
        ContextKey key = new ContextKey(settings, profile);
        SSLContext context = this.contexts.get(key);
        if (context != null) {
            return context;
        }
        try {
            return this.contexts.computeIfAbsent(key, (k) -> {
                try {
                    SSLContext created = Jsse.newContext(this.provider);
                    // Never a null SecureRandom: BC would look up "DEFAULT", which only a registered BC provider has.
                    created.init(new KeyManager[] { material.keys() }, material.trustManagers(), new SecureRandom());
                    return created;
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

    /**
     * Checks, before any connection is made, that this provider can honour the SSL bundle options of the settings
     * with each of the profiles; settings without options pass at once.
     *
     * @throws IllegalArgumentException naming {@code hotpool.tls.bundle}, the bundle, its property and the names at
     *     fault
     */
    public void checkOptions(TlsSettings settings, List<TlsProfile> profiles) {
        if (settings == null || !settings.hasOptions()) {
            return;
        }
        try {
            Material material = material(settings);
            for (TlsProfile profile : profiles) {
                narrowed(settings, profile, context(settings, material, profile));
            }
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(cannotUse(settings) + ex.getMessage());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException(cannotUse(settings) + ex.getMessage(), ex);
        }
    }

    private static String cannotUse(TlsSettings settings) {
        return "hotpool.tls.bundle (" + settings.name() + ") cannot be used: ";
    }

    /**
     * The profile with the settings' SSL bundle options applied: its protocols that the options enable, and the
     * options' cipher suites, each checked against what this provider supports.
     *
     * @throws IllegalArgumentException naming the bundle, its property and the names at fault
     */
    private TlsProfile narrowed(TlsSettings settings, TlsProfile profile, SSLContext context) {
        return this.narrowed.computeIfAbsent(new ContextKey(settings, profile), (key) -> {
            List<String> protocols = profile.protocols();
            if (settings.protocols() != null) {
                protocols = profile.protocols().stream().filter(settings.protocols()::contains).toList();
                if (protocols.isEmpty()) {
                    throw new IllegalArgumentException("SSL bundle '" + settings.name() + "' enables only "
                            + settings.protocols() + " (options.enabled-protocols), and TLS profile '"
                            + profile.name() + "' offers " + profile.protocols() + ": no protocol in common");
                }
            }
            List<String> cipherSuites = profile.cipherSuites();
            if (settings.cipherSuites() != null) {
                List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
                List<String> unknown = settings.cipherSuites().stream().filter((c) -> !supported.contains(c)).toList();
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("SSL bundle '" + settings.name() + "' lists cipher suites "
                            + this.provider.displayName() + " does not support: " + unknown + " (options.ciphers)");
                }
                cipherSuites = settings.cipherSuites();
            }
            return profile.toBuilder().protocols(protocols).cipherSuites(cipherSuites).build();
        });
    }

    private Material createMaterial(TlsSettings settings) throws GeneralSecurityException {
        Provider jsse = Jsse.provider(this.provider);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", jsse);
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
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse);
            char[] password = settings.keyPassword();
            checkKeysReadable(keyStore, password != null ? password : new char[0]);
            kmf.init(keyStore, password != null ? password : new char[0]);
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager x509) {
                    keyManager = x509;
                    break;
                }
            }
        }
        return new Material(trustManagers, new ClientKeyChooser(keyManager));
    }

    /**
     * Reads every key once, so a wrong password fails here on either provider (SunJSSE's key manager would only skip
     * the key, when a server first asks for it).
     */
    private static void checkKeysReadable(KeyStore keyStore, char[] password) throws GeneralSecurityException {
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                keyStore.getKey(alias, password);
            }
        }
    }

    /** The SNI name for a host, or {@code null} for IP literals and names SNI cannot carry. */
    static BCSNIHostName sniHostName(String host) {
        String name = Jsse.sniName(host);
        return name == null ? null : new BCSNIHostName(name);
    }

    public static boolean isIpLiteral(String host) {
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

    /**
     * The trust managers of one {@link TlsSettings} and its key chooser, which knows what each server asked of a
     * client certificate.
     */
    private record Material(TrustManager[] trustManagers, ClientKeyChooser keys) {
    }

    /** A settings object and a profile, both compared by identity (neither overrides equals). */
    private record ContextKey(TlsSettings settings, TlsProfile profile) {
    }

    /**
     * A handshake the provider completed that hotpool fails itself, its message the reason: a server that spoke before
     * any request (an HTTP/1.1 server never does, and a byte read while waiting for a certificate verdict cannot be
     * handed back), or an ALPN result hotpool cannot speak.
     */
    private static final class OwnVerdict extends SSLException {

        private static final long serialVersionUID = 1L;

        OwnVerdict(String reason) {
            super(reason);
        }
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
