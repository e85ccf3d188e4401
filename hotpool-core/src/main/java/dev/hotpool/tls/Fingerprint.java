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
 * <p>Beside them, {@link #http2()}: what the profile's HTTP/2 connections send first, in the form passive HTTP/2
 * fingerprinting (Akamai's) writes it, computed from the very options those connections send (see
 * {@link TlsProfile#http2Settings()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param profile the profile's name
 * @param provider the JSSE that sent it
 * @param hostName the hello to a host name
 * @param ipLiteral the hello to an IP literal
 * @param alpn the ALPN protocols both hellos offer ({@code [h2, http/1.1]}), empty for none
 * @param http2 the HTTP/2 fingerprint of the profile's connections that agree {@code h2}:
 *     {@code SETTINGS|WINDOW_UPDATE|PRIORITY|PSEUDO_HEADER_ORDER}, e.g.
 *     {@code 1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p} (SETTINGS as {@code id:value} in the order sent, the
 *     connection-level WINDOW_UPDATE increment or 0, PRIORITY frames: always 0, none sent); {@code null} when no
 *     connection of the pool offers {@code h2} ({@code hotpool.protocols} and every host's leave it out)
 */
public record Fingerprint(String profile, TlsProvider provider, Hello hostName, Hello ipLiteral, List<String> alpn,
        String http2) {

    public Fingerprint {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(ipLiteral, "ipLiteral");
        alpn = List.copyOf(Objects.requireNonNull(alpn, "alpn"));
    }

    /** The fingerprints of a ClientHello, without an HTTP/2 fingerprint. */
    public Fingerprint(String profile, TlsProvider provider, Hello hostName, Hello ipLiteral, List<String> alpn) {
        this(profile, provider, hostName, ipLiteral, alpn, null);
    }

    /** The same with this HTTP/2 fingerprint (or none, with {@code null}). */
    public Fingerprint withHttp2(String http2) {
        return new Fingerprint(this.profile, this.provider, this.hostName, this.ipLiteral, this.alpn, http2);
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
