package dev.hotpool;

/**
 * One open connection, as the actuator endpoint shows it. Immutable.
 *
 * @param id the pool's number for it
 * @param address the IP address and port connected to
 * @param state {@code idle}, {@code leased} or {@code checking}
 * @param ageMillis time since it was opened
 * @param idleMillis time since its last use (0 while leased)
 * @param requests exchanges it has carried
 * @param profile the TLS client profile, or {@code null} for plain HTTP
 * @param protocol {@code TLSv1.3}, {@code TLSv1.2} or {@code TCP}
 * @param cipher the negotiated cipher suite, or {@code null} for plain HTTP
 */
public record ConnectionInfo(long id, String address, String state, long ageMillis, long idleMillis, int requests,
        String profile, String protocol, String cipher) {
}
