package dev.hotpool.internal.http2;

/**
 * The priority fields of a PRIORITY frame or of a HEADERS frame with the PRIORITY flag (RFC 9113 §5.3.2, §6.3):
 * deprecated by RFC 9113, still sent by some clients and so part of an HTTP/2 fingerprint.
 *
 * @param dependency the stream depended on, 0 to 2^31-1
 * @param exclusive the E bit
 * @param weight 1 to 256 (sent as weight - 1)
 */
public record Priority(int dependency, boolean exclusive, int weight) {

    public Priority {
        if (dependency < 0) {
            throw new IllegalArgumentException("a stream dependency is 31 bits, not " + dependency);
        }
        if (weight < 1 || weight > 256) {
            throw new IllegalArgumentException("a priority weight is 1 to 256, not " + weight);
        }
    }
}
