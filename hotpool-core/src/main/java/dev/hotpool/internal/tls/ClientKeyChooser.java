package dev.hotpool.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client-side key manager of one {@link dev.hotpool.tls.TlsSettings}: the settings' own key manager when they carry a key,
 * else none, and in both cases a record of what each socket's server asked for: whether it requested a client
 * certificate, which issuers it named, and whether a certificate was given. A TLS 1.2 server that requires one and
 * gets none hangs up or sends a generic alert; the record lets the failure say "server requires a client
 * certificate" instead, and lets a TLS 1.3 handshake wait for the server's verdict.
 *
 * <p>Thread-safe: the record is a concurrent map keyed by the socket or engine (which compare by identity); the delegate is BC's or SunJSSE's key manager.
 */
final class ClientKeyChooser extends X509ExtendedKeyManager {

    private final X509ExtendedKeyManager delegate;

    /** The certificate requests of sockets in their handshake; removed when the handshake ends. */
    private final Map<Object, Request> requests = new ConcurrentHashMap<>();

    /** @param delegate the settings' key manager, or {@code null} when they carry no key */
    ClientKeyChooser(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    /**
     * A server's request for a client certificate.
     *
     * @param issuers the issuers it named (empty when it named none)
     * @param answered whether a certificate was given: the JSSE asks once per key type, in its order of preference,
     *     until one has a key
     */
    record Request(List<String> issuers, boolean answered) {
    }

    /** What the server on {@code socket} asked for, or {@code null} when it asked for no client certificate. */
    Request request(Object socket) {
        return this.requests.get(socket);
    }

    /** Forgets {@code socket}; called when its handshake ends either way. */
    void forget(Object socket) {
        this.requests.remove(socket);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        String alias = this.delegate == null ? null : this.delegate.chooseClientAlias(keyType, issuers, socket);
        record(socket, issuers, alias);
        return alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        String alias = this.delegate == null ? null : this.delegate.chooseEngineClientAlias(keyType, issuers, engine);
        record(engine, issuers, alias);
        return alias;
    }

    private void record(Object connection, Principal[] issuers, String alias) {
        if (connection != null) {
            this.requests.merge(connection, new Request(names(issuers), alias != null),
                    (before, now) -> before.answered() ? before : now);
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return this.delegate == null ? null : this.delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return this.delegate == null ? null : this.delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return this.delegate == null ? null : this.delegate.getPrivateKey(alias);
    }

    private static List<String> names(Principal[] issuers) {
        if (issuers == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(issuers.length);
        for (Principal p : issuers) {
            names.add(p.getName());
        }
        return List.copyOf(names);
    }
}
