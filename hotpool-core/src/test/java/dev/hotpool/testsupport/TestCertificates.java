package dev.hotpool.testsupport;

import dev.hotpool.tls.TlsSettings;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority and a server certificate it signed, generated at test time (RSA 2048 or EC P-256).
 * The CA has {@code basicConstraints CA:true} and {@code keyCertSign}; the leaf has the subject alternative names
 * asked for (DNS names and IP addresses), {@code digitalSignature} (+ {@code keyEncipherment} for RSA) and the
 * extended key usages serverAuth and clientAuth, so it can also stand for a client in mutual TLS.
 *
 * <p>Everything is created with the JDK's own providers: key pairs from {@link KeyPairGenerator}, signatures by
 * SunRsaSign / SunEC through bcpkix's builders. No Bouncy Castle provider is registered with
 * {@link java.security.Security}, so tests that check the JVM's global providers stay honest.
 *
 * <p>Thread-safe: instances are immutable after construction and cached per (key type, subject alternative
 * names) for the life of the JVM, so a whole test run shares a few CAs. Every accessor that returns a mutable
 * object ({@link KeyStore}, {@link SSLContext}) returns a fresh one.
 */
public final class TestCertificates {

    /** The key algorithm of the CA and the server certificate. */
    public enum KeyType {

        /** RSA 2048, signed with SHA256withRSA. */
        RSA,

        /** EC on secp256r1 (P-256), signed with SHA256withECDSA. */
        EC
    }

    /** The password of every key store and key written or returned here: {@code changeit}. */
    public static final char[] PASSWORD = "changeit".toCharArray();

    /** Alias of the server's key entry in {@link #serverKeyStore()}. */
    public static final String SERVER_ALIAS = "server";

    /** Alias of the CA certificate in {@link #trustStore()}. */
    public static final String CA_ALIAS = "ca";

    private static final Map<String, TestCertificates> CACHE = new ConcurrentHashMap<>();

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private static final AtomicLong CA_NUMBERS = new AtomicLong();

    private final KeyType type;
    private final X509Certificate caCertificate;
    private final X509Certificate leaf;
    private final PrivateKey leafKey;
    private final TlsSettings clientSettings;

    private TestCertificates(KeyType type, List<String> sans, boolean expired) {
        this.type = type;
        try {
            Instant now = Instant.now();
            KeyPair caKeys = generateKeyPair(type);
            // BC keeps the RDNs in the order written; X500Principal.getName() prints them reversed: CN first.
            X500Name caName = new X500Name("O=hotpool tests, CN=hotpool test CA " + type + " " + CA_NUMBERS.incrementAndGet());
            this.caCertificate = caCertificate(type, caName, caKeys, now);

            KeyPair leafKeys = generateKeyPair(type);
            Instant notBefore = expired ? now.minus(Duration.ofDays(30)) : now.minus(Duration.ofHours(1));
            Instant notAfter = expired ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(30));
            this.leaf = leafCertificate(type, caName, caKeys, this.caCertificate, leafKeys, sans, notBefore, notAfter);
            this.leafKey = leafKeys.getPrivate();
        }
        catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
            throw new IllegalStateException("could not generate test certificates (" + type + ", " + sans + ")", ex);
        }
        this.clientSettings = TlsSettings.of("test-" + type, trustStore(), null, null);
    }

    /** A fresh CA and a leaf for the SANs given (dns names and IP literals); cached per (type, sans) in the JVM. */
    public static TestCertificates forHosts(KeyType type, String... sans) {
        if (sans.length == 0) {
            throw new IllegalArgumentException("at least one subject alternative name is needed");
        }
        List<String> names = List.of(sans);
        return CACHE.computeIfAbsent("valid " + type + " " + names, (key) -> new TestCertificates(type, names, false));
    }

    /** {@code forHosts(type, "localhost", "127.0.0.1", "::1")}. */
    public static TestCertificates localhost(KeyType type) {
        return forHosts(type, "localhost", "127.0.0.1", "::1");
    }

    /** Leaf for localhost/127.0.0.1 whose validity ended yesterday (signed by its own CA). */
    public static TestCertificates expired(KeyType type) {
        List<String> names = List.of("localhost", "127.0.0.1");
        return CACHE.computeIfAbsent("expired " + type + " " + names, (key) -> new TestCertificates(type, names, true));
    }

    public KeyType keyType() {
        return this.type;
    }

    /** A new PKCS12 key store: alias {@code server}, the leaf's key with the chain [leaf, ca], {@link #PASSWORD}. */
    public KeyStore serverKeyStore() {
        try {
            KeyStore ks = emptyPkcs12();
            ks.setKeyEntry(SERVER_ALIAS, this.leafKey, PASSWORD, new Certificate[] { this.leaf, this.caCertificate });
            return ks;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A new PKCS12 key store holding only the CA certificate, alias {@code ca}. */
    public KeyStore trustStore() {
        try {
            KeyStore ks = emptyPkcs12();
            ks.setCertificateEntry(CA_ALIAS, this.caCertificate);
            return ks;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The leaf (server) certificate. */
    public X509Certificate certificate() {
        return this.leaf;
    }

    /** The CA certificate that signed the leaf. */
    public X509Certificate caCertificate() {
        return this.caCertificate;
    }

    /** A new SunJSSE server-side context over {@link #serverKeyStore()} whose sockets and engines speak TLSv1.3 and TLSv1.2. */
    public SSLContext serverContext() {
        return serverContext("TLSv1.3", "TLSv1.2");
    }

    /**
     * A new SunJSSE server-side context whose server sockets, client sockets and engines have exactly the given
     * protocols enabled (e.g. {@code "TLSv1.2"} alone). A plain {@code SSLContext.getInstance("TLSv1.2")} would
     * not do: SunJSSE limits only the client side by the context's protocol, so the context returned here wraps
     * one and sets the enabled protocols on everything it creates.
     */
    public SSLContext serverContext(String... protocols) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeyStore(), PASSWORD);
            SSLContext sun = SSLContext.getInstance("TLS", "SunJSSE");
            sun.init(kmf.getKeyManagers(), null, new SecureRandom());
            return new ProtocolLimitedContext(sun, protocols.clone());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A new SunJSSE server socket bound to {@code bind} on an ephemeral port, with exactly the given protocols
     * enabled (TLSv1.3 and TLSv1.2 when none are given). The caller closes it.
     */
    public SSLServerSocket serverSocket(InetAddress bind, String... protocols) throws IOException {
        SSLContext context = protocols.length == 0 ? serverContext() : serverContext(protocols);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, bind);
    }

    /**
     * A new SunJSSE server socket bound to {@code bind} with this leaf's key, exactly one protocol enabled, that
     * requires a client certificate issued by the CA of {@code clients} (client auth "need"). The caller closes it.
     */
    public SSLServerSocket clientAuthServerSocket(InetAddress bind, TestCertificates clients, String protocol)
            throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(serverKeyStore(), PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(clients.trustStore());
            SSLContext sun = SSLContext.getInstance("TLS", "SunJSSE");
            sun.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            SSLServerSocket socket = (SSLServerSocket) sun.getServerSocketFactory().createServerSocket(0, 50, bind);
            socket.setEnabledProtocols(new String[] { protocol });
            socket.setNeedClientAuth(true);
            return socket;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Settings for mutual TLS: trust this CA (the server's) and present the leaf of {@code client} with its key, as a
     * Spring SSL bundle with a trust store and a key store would. A new instance per call.
     */
    public TlsSettings mutualSettings(TestCertificates client) {
        return TlsSettings.of("mutual-" + client.type, trustStore(), client.serverKeyStore(), PASSWORD);
    }

    /** {@code TlsSettings.of("test-" + type, trustStore(), null, null)}; one instance per {@code TestCertificates}. */
    public TlsSettings clientSettings() {
        return this.clientSettings;
    }

    /** Writes {@link #serverKeyStore()} as a PKCS12 file (for Spring SSL bundles, Tomcat, Jetty) and returns it. */
    public Path writeKeyStore(Path file) {
        return write(serverKeyStore(), file);
    }

    /** Writes {@link #trustStore()} as a PKCS12 file and returns it. */
    public Path writeTrustStore(Path file) {
        return write(trustStore(), file);
    }

    @Override
    public String toString() {
        return "TestCertificates[" + this.type + ", " + this.leaf.getSubjectX500Principal().getName() + ", until "
                + this.leaf.getNotAfter().toInstant() + "]";
    }

    private static Path write(KeyStore ks, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, PASSWORD);
            }
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static KeyStore emptyPkcs12() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return ks;
    }

    private static KeyPair generateKeyPair(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static ContentSigner signer(KeyType type, PrivateKey key) throws OperatorCreationException {
        // The JDK's default providers (SunRsaSign, SunEC) sign; no BC provider is involved or registered.
        return new JcaContentSignerBuilder(type == KeyType.RSA ? "SHA256withRSA" : "SHA256withECDSA").build(key);
    }

    private static X509Certificate caCertificate(KeyType type, X500Name name, KeyPair keys, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(60))), Date.from(now.plus(Duration.ofDays(365))), name,
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(type, keys.getPrivate())));
    }

    private static X509Certificate leafCertificate(KeyType type, X500Name caName, KeyPair caKeys,
            X509Certificate caCert, KeyPair keys, List<String> sans, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X500Name subject = new X500Name("O=hotpool tests, CN=" + sans.get(0));
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        int usage = KeyUsage.digitalSignature | (type == KeyType.RSA ? KeyUsage.keyEncipherment : 0);
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        // clientAuth too, so the same certificate can be a client's in mutual TLS tests (SunJSSE checks it).
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
            names.add(new GeneralName(isIpLiteral(san) ? GeneralName.iPAddress : GeneralName.dNSName, san));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(type, caKeys.getPrivate())));
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
    }

    /**
     * An {@link SSLContext} over a SunJSSE context that enables exactly the given protocols on every socket, server
     * socket and engine it creates. Thread-safe, like the context it wraps.
     */
    private static final class ProtocolLimitedContext extends SSLContext {

        ProtocolLimitedContext(SSLContext delegate, String[] protocols) {
            super(new Spi(delegate, protocols), delegate.getProvider(), delegate.getProtocol());
        }

        private static final class Spi extends SSLContextSpi {

            private final SSLContext delegate;
            private final String[] protocols;

            Spi(SSLContext delegate, String[] protocols) {
                this.delegate = delegate;
                this.protocols = protocols;
            }

            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
                throw new KeyManagementException("already initialized");
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return new LimitedSocketFactory(this.delegate.getSocketFactory(), this.protocols);
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return new LimitedServerSocketFactory(this.delegate.getServerSocketFactory(), this.protocols);
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                SSLEngine engine = this.delegate.createSSLEngine();
                engine.setEnabledProtocols(this.protocols);
                return engine;
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                SSLEngine engine = this.delegate.createSSLEngine(host, port);
                engine.setEnabledProtocols(this.protocols);
                return engine;
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return this.delegate.getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return this.delegate.getClientSessionContext();
            }

            @Override
            protected SSLParameters engineGetDefaultSSLParameters() {
                SSLParameters p = this.delegate.getDefaultSSLParameters();
                p.setProtocols(this.protocols);
                return p;
            }

            @Override
            protected SSLParameters engineGetSupportedSSLParameters() {
                return this.delegate.getSupportedSSLParameters();
            }
        }
    }

    private static final class LimitedServerSocketFactory extends SSLServerSocketFactory {

        private final SSLServerSocketFactory delegate;
        private final String[] protocols;

        LimitedServerSocketFactory(SSLServerSocketFactory delegate, String[] protocols) {
            this.delegate = delegate;
            this.protocols = protocols;
        }

        private ServerSocket limit(ServerSocket socket) {
            ((SSLServerSocket) socket).setEnabledProtocols(this.protocols);
            return socket;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return limit(this.delegate.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return limit(this.delegate.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return limit(this.delegate.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress bind) throws IOException {
            return limit(this.delegate.createServerSocket(port, backlog, bind));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return this.delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return this.delegate.getSupportedCipherSuites();
        }
    }

    private static final class LimitedSocketFactory extends SSLSocketFactory {

        private final SSLSocketFactory delegate;
        private final String[] protocols;

        LimitedSocketFactory(SSLSocketFactory delegate, String[] protocols) {
            this.delegate = delegate;
            this.protocols = protocols;
        }

        private Socket limit(Socket socket) {
            ((SSLSocket) socket).setEnabledProtocols(this.protocols);
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return limit(this.delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return limit(this.delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return limit(this.delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return limit(this.delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return limit(this.delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return limit(this.delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return this.delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return this.delegate.getSupportedCipherSuites();
        }
    }
}
