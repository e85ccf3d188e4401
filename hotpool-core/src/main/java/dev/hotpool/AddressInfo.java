package dev.hotpool;

import java.time.Instant;

/**
 * One address of an origin, as the actuator endpoint shows it. Immutable.
 *
 * @param address the IP address
 * @param connections open connections to it
 * @param ejected whether it is ejected as an outlier now
 * @param ejectedUntil when its ejection ends, or {@code null}
 * @param consecutiveFailures failures in a row counted against it
 */
public record AddressInfo(String address, int connections, boolean ejected, Instant ejectedUntil,
        int consecutiveFailures) {
}
