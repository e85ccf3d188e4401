package dev.hotpool;

import java.util.Locale;

/**
 * The step of opening a connection that failed, as the endpoint shows it ({@code dns}, {@code tcp}, {@code tls},
 * {@code proxy}).
 */
public enum ConnectPhase {

    /** Resolving the host's addresses. */
    DNS,

    /** The TCP connect (every address tried failed or the connect timeout ran out). */
    TCP,

    /** The TLS handshake (with the origin, inside the proxy's tunnel when there is one). */
    TLS,

    /** Reaching the HTTP proxy (its name, the TCP connect to it) or its CONNECT tunnel (refused, 407, …). */
    PROXY;

    /** The lower-case name shown by the endpoint: {@code dns}, {@code tcp}, {@code tls}, {@code proxy}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
