package dev.hotpool;

import java.util.Locale;

/** The step of opening a connection that failed, as the endpoint shows it ({@code dns}, {@code tcp}, {@code tls}). */
public enum ConnectPhase {

    /** Resolving the host's addresses. */
    DNS,

    /** The TCP connect (every address tried failed or the connect timeout ran out). */
    TCP,

    /** The TLS handshake. */
    TLS;

    /** The lower-case name shown by the endpoint: {@code dns}, {@code tcp}, {@code tls}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
