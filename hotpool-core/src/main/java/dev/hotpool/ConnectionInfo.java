package dev.hotpool;

/**
 * One open connection, as the actuator endpoint shows it. Immutable.
 *
 * @param id the pool's number for it
 * @param address the IP address and port connected to
 * @param state {@code idle}, {@code leased} or {@code checking}
 * @param ageMillis time since it was opened
 * @param idleMillis time since its last use (0 while leased)
 * @param requests exchanges it has carried (for HTTP/2, streams begun on it)
 * @param profile the TLS client profile, or {@code null} for plain HTTP
 * @param protocol {@code TLSv1.3}, {@code TLSv1.2} or {@code TCP}
 * @param cipher the negotiated cipher suite, or {@code null} for plain HTTP
 * @param applicationProtocol the HTTP version it speaks: {@code h2} (over TLS as ALPN agreed it, or in cleartext by
 *     prior knowledge when the host's protocols name {@code h2c}: then {@code protocol} is {@code TCP}) or
 *     {@code http/1.1} (as ALPN agreed it, or when nothing was agreed, or plain HTTP)
 * @param streams for an {@code h2} connection, its streams leased now (requests under way, or responses whose body
 *     is not yet read to the end or closed): what counts against {@code streamLimit}; {@code null} for
 *     {@code http/1.1}, which carries one exchange at a time
 * @param streamLimit for an {@code h2} connection, how many streams it may carry at once now: the server's
 *     {@code SETTINGS_MAX_CONCURRENT_STREAMS}, under {@code hotpool.http2.max-concurrent-streams} when that is set;
 *     {@code null} for {@code http/1.1}
 */
public record ConnectionInfo(long id, String address, String state, long ageMillis, long idleMillis, int requests,
        String profile, String protocol, String cipher, String applicationProtocol, Integer streams,
        Integer streamLimit) {

    /** An HTTP/1.1 connection: what every connection was before HTTP/2 (the constructor of the first release). */
    public ConnectionInfo(long id, String address, String state, long ageMillis, long idleMillis, int requests,
            String profile, String protocol, String cipher) {
        this(id, address, state, ageMillis, idleMillis, requests, profile, protocol, cipher, "http/1.1", null, null);
    }
}
