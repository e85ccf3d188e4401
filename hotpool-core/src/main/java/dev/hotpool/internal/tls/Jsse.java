package dev.hotpool.internal.tls;

import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProvider;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.jsse.BCSNIHostName;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;

/**
 * What each {@link TlsProvider} does on this JVM: its JCA provider, the profile properties it cannot set per
 * connection, and how a profile, HTTPS hostname verification and SNI are put on a socket. Either way SNI is sent
 * explicitly for host names (also {@code localhost}) and never for IP literals, and the JVM's global security setup is
 * left as it is: neither provider is registered or made the default, and the JVM's default {@code SSLContext} is never
 * used.
 *
 * <p>On the JDK's SunJSSE, Java 17 sets per connection only the protocols, cipher suites and ALPN of a profile
 * (signature schemes from Java 19, named groups from Java 20, key shares never): the rest comes from the JVM-wide
 * {@code jdk.tls.*} settings. Where it sets signature schemes, they go out twice, each list keeping what is valid
 * there: in {@code signature_algorithms} (handshake signatures; a TLS 1.3-only hello leaves the RSA PKCS#1 schemes
 * out) and in {@code signature_algorithms_cert} (certificates), so a TLS 1.3-only profile still accepts certificates
 * signed {@code SHA256withRSA}. BouncyCastle's JSSE sets every part of a profile.
 *
 * <p>Thread-safe (stateless).
 */
final class Jsse {

    private Jsse() {
    }

    /** The JCA provider of the provider's {@code SSLContext}, trust and key manager factories. */
    public static Provider provider(TlsProvider provider) throws GeneralSecurityException {
        if (provider == TlsProvider.BC) {
            return BcJsse.provider();
        }
        Provider sun = Security.getProvider("SunJSSE");
        return sun != null ? sun : SSLContext.getInstance("TLS").getProvider();
    }

    /** A new, uninitialised TLS context of the provider. */
    public static SSLContext newContext(TlsProvider provider) throws GeneralSecurityException {
        return SSLContext.getInstance("TLS", provider(provider));
    }

    /**
     * The profile properties the provider cannot set per connection on this JVM ({@code named-groups},
     * {@code key-shares}, {@code signature-schemes}), in that order; empty when it sets them all.
     */
    public static List<String> unsettable(TlsProvider provider) {
        if (provider == TlsProvider.BC) {
            return List.of();
        }
        List<String> properties = new ArrayList<>();
        if (JdkParameters.SET_NAMED_GROUPS == null) {
            properties.add("named-groups");
        }
        properties.add("key-shares");
        if (JdkParameters.SET_SIGNATURE_SCHEMES == null) {
            properties.add("signature-schemes");
        }
        return List.copyOf(properties);
    }

    /**
     * Applies a profile, HTTPS hostname verification and SNI for {@code host} to a socket of the provider that has not
     * begun its handshake.
     */
    public static void configure(TlsProvider provider, SSLSocket socket, TlsProfile profile, String host) {
        configure(provider, socket, profile, profile.alpn(), host);
    }

    /**
     * Applies a profile with {@code alpn} in place of its own ALPN list (what the protocols of the connection's host
     * make it offer), HTTPS hostname verification and SNI for {@code host}, to a socket that has not begun its
     * handshake.
     */
    public static void configure(TlsProvider provider, SSLSocket socket, TlsProfile profile, List<String> alpn,
            String host) {
        if (provider == TlsProvider.BC) {
            configureBc(socket, profile, alpn, host);
        }
        else {
            configureJdk(socket, profile, alpn, host);
        }
    }

    private static void configureBc(SSLSocket socket, TlsProfile profile, List<String> alpn, String host) {
        BCSSLSocket bc = (BCSSLSocket) socket;
        BCSSLParameters p = bc.getParameters();
        p.setProtocols(array(profile.protocols()));
        if (!profile.cipherSuites().isEmpty()) {
            p.setCipherSuites(array(profile.cipherSuites()));
        }
        if (!profile.namedGroups().isEmpty()) {
            p.setNamedGroups(array(profile.namedGroups()));
        }
        if (!profile.keyShares().isEmpty()) {
            p.setEarlyKeyShares(array(profile.keyShares()));
        }
        if (!profile.signatureSchemes().isEmpty()) {
            p.setSignatureSchemes(array(profile.signatureSchemes()));
        }
        p.setApplicationProtocols(array(alpn));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        String sni = sniName(host);
        if (sni != null) {
            // BC, like SunJSSE, sends SNI by itself only for names with a dot: not for "localhost".
            p.setServerNames(List.of(new BCSNIHostName(sni)));
        }
        bc.setParameters(p);
    }

    private static void configureJdk(SSLSocket socket, TlsProfile profile, List<String> alpn, String host) {
        SSLParameters p = socket.getSSLParameters();
        p.setProtocols(array(profile.protocols()));
        if (!profile.cipherSuites().isEmpty()) {
            p.setCipherSuites(array(profile.cipherSuites()));
        }
        if (!profile.namedGroups().isEmpty() && JdkParameters.SET_NAMED_GROUPS != null) {
            JdkParameters.set(JdkParameters.SET_NAMED_GROUPS, p, array(profile.namedGroups()));
        }
        if (!profile.signatureSchemes().isEmpty() && JdkParameters.SET_SIGNATURE_SCHEMES != null) {
            JdkParameters.set(JdkParameters.SET_SIGNATURE_SCHEMES, p, array(profile.signatureSchemes()));
        }
        p.setApplicationProtocols(array(alpn));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        String sni = sniName(host);
        if (sni != null) {
            p.setServerNames(List.of(new SNIHostName(sni)));
        }
        socket.setSSLParameters(p);
    }

    /** The SNI name for a host, or {@code null} for IP literals and names SNI cannot carry. */
    public static String sniName(String host) {
        if (TlsConnector.isIpLiteral(host)) {
            return null;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return new SNIHostName(name).getAsciiName();
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            return null;
        }
    }

    private static String[] array(List<String> values) {
        return values.toArray(new String[0]);
    }

    /** {@link SSLParameters} setters that later Java versions add, looked up once. */
    private static final class JdkParameters {

        /** {@code SSLParameters.setNamedGroups(String[])}, Java 20 and later; {@code null} before. */
        static final Method SET_NAMED_GROUPS = find("setNamedGroups");

        /** {@code SSLParameters.setSignatureSchemes(String[])}, Java 19 and later; {@code null} before. */
        static final Method SET_SIGNATURE_SCHEMES = find("setSignatureSchemes");

        private static Method find(String name) {
            try {
                return SSLParameters.class.getMethod(name, String[].class);
            }
            catch (NoSuchMethodException ex) {
                return null;
            }
        }

        static void set(Method setter, SSLParameters parameters, String[] values) {
            try {
                setter.invoke(parameters, (Object) values);
            }
            catch (InvocationTargetException ex) {
                if (ex.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(ex.getCause());
            }
            catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
