package dev.hotpool.net;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code hotpool.outlier.*} settings; validated on construction.
 *
 * @param enabled {@code hotpool.outlier.enabled}: when false nothing is recorded and every address is usable
 * @param consecutiveFailures {@code consecutive-failures}: failures in a row that eject
 * @param ejectOnStatus {@code eject-on-status}: response statuses that eject at once
 * @param baseEjectionTime {@code base-ejection-time}: the first ejection's length, at least 1 ms
 * @param maxEjectionTime {@code max-ejection-time}: the cap on any ejection's length
 * @param maxEjectionPercent {@code max-ejection-percent}: most of a host's addresses ejected at once, 0 to 100
 */
public record OutlierSettings(boolean enabled, int consecutiveFailures, Set<Integer> ejectOnStatus,
        Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

    /** Enabled; 3 failures or a 403 eject; 30 s growing to at most 10 min; at most half of a host's addresses. */
    public static final OutlierSettings DEFAULTS = new OutlierSettings(true, 3, Set.of(403), Duration.ofSeconds(30),
            Duration.ofMinutes(10), 50);

    public OutlierSettings {
        Objects.requireNonNull(ejectOnStatus, "'ejectOnStatus' must not be null");
        if (consecutiveFailures <= 0) {
            throw new IllegalArgumentException("hotpool.outlier.consecutive-failures (" + consecutiveFailures
                    + ") must be greater than 0");
        }
        for (Integer status : ejectOnStatus) {
            if (status == null || status < 100 || status > 599) {
                throw new IllegalArgumentException("hotpool.outlier.eject-on-status (" + ejectOnStatus
                        + ") must hold only HTTP status codes from 100 to 599");
            }
        }
        if (baseEjectionTime == null || baseEjectionTime.toMillis() < 1) {
            throw new IllegalArgumentException("hotpool.outlier.base-ejection-time (" + baseEjectionTime
                    + ") must be at least 1 ms");
        }
        if (maxEjectionTime == null || maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("hotpool.outlier.max-ejection-time (" + maxEjectionTime
                    + ") must not be less than hotpool.outlier.base-ejection-time (" + baseEjectionTime + ")");
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("hotpool.outlier.max-ejection-percent (" + maxEjectionPercent
                    + ") must be from 0 to 100");
        }
        ejectOnStatus = Set.copyOf(ejectOnStatus);
    }
}
