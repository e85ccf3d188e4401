package dev.hotpool.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client-side key manager of one {@link TlsSettings}: the settings' own key manager when they carry a key,
 * else none, and in both cases a record of the sockets whose server asked for a client certificate that could
 * not be given. A TLS 1.2 server that requires one then hangs up or sends a generic alert; the record lets the
 * failure say "server requires a client certificate" instead.
 *
 * <p>Thread-safe: the record is a concurrent identity set; the delegate is BC's key manager.
 */
final class ClientKeyChooser extends X509ExtendedKeyManager {

    private final X509ExtendedKeyManager delegate;

    /** Sockets asked for a certificate this chooser had none for; removed when their handshake ends. */
    private final Set<Object> unanswered = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    /** @param delegate the settings' key manager, or {@code null} when they carry no key */
    ClientKeyChooser(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    /** Whether the server on {@code socket} asked for a client certificate that could not be given. */
    boolean certificateWanted(Object socket) {
        return this.unanswered.contains(socket);
    }

    /** Forgets {@code socket}; called when its handshake ends either way. */
    void forget(Object socket) {
        this.unanswered.remove(socket);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        String alias = this.delegate == null ? null : this.delegate.chooseClientAlias(keyType, issuers, socket);
        if (alias == null && socket != null) {
            this.unanswered.add(socket);
        }
        return alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        String alias = this.delegate == null ? null : this.delegate.chooseEngineClientAlias(keyType, issuers, engine);
        if (alias == null && engine != null) {
            this.unanswered.add(engine);
        }
        return alias;
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
}
