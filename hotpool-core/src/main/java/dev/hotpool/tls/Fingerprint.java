package dev.hotpool.tls;

import java.util.List;
import java.util.Objects;

/**
 * The ClientHello fingerprints of one TLS profile, taken from the bytes its connections really write (a loopback
 * capture when the pool was made, through the same socket set-up as pooled connections; see
 * {@code HotPool.tlsFingerprints()}). Two
 * captures, because a hello with SNI differs from one without: {@link #hostName()} for origins named by a host name
 * (the pool's usual case: SNI and the profile's ALPN) and {@link #ipLiteral()} for origins given as an IP address
 * (no SNI). Both with the ALPN list {@link #alpn()}: the profile's own, or with {@code h2} in
 * {@code hotpool.protocols} (or a host's) the protocols, which the pool's connections then offer instead.
 *
 * <p>Immutable and thread-safe.
 *
 * @param profile the profile's name
 * @param provider the JSSE that sent it
 * @param hostName the hello to a host name
 * @param ipLiteral the hello to an IP literal
 * @param alpn the ALPN protocols both hellos offer ({@code [h2, http/1.1]}), empty for none
 */
public record Fingerprint(String profile, TlsProvider provider, Hello hostName, Hello ipLiteral, List<String> alpn) {

    public Fingerprint {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(ipLiteral, "ipLiteral");
        alpn = List.copyOf(Objects.requireNonNull(alpn, "alpn"));
    }

    /** The JA3 string of the hello to a host name. */
    public String ja3() {
        return this.hostName.ja3();
    }

    /** The JA3 MD5 of the hello to a host name. */
    public String ja3Md5() {
        return this.hostName.ja3Md5();
    }

    /** The JA4 of the hello to a host name. */
    public String ja4() {
        return this.hostName.ja4();
    }

    /**
     * The fingerprints of one ClientHello.
     *
     * @param ja3 the JA3 string ({@code version,ciphers,extensions,groups,point-formats}, decimal, GREASE removed)
     * @param ja3Md5 its MD5, lower-case hex
     * @param ja4 the JA4 fingerprint ({@code t13d1011h1_…_…})
     * @param ja4Raw JA4 with the sorted lists instead of their hashes ({@code ja4_r})
     * @param length the size of the ClientHello message in bytes
     */
    public record Hello(String ja3, String ja3Md5, String ja4, String ja4Raw, int length) {
    }
}
