package dev.hotpool;

import java.time.Instant;
import java.util.Objects;

/**
 * The last failure to open a connection to a host. Immutable.
 *
 * @param phase the step that failed
 * @param at when it failed (the pool's clock)
 * @param message the exception's message: origin, address and cause, never a header or a credential
 */
public record ConnectFailure(ConnectPhase phase, Instant at, String message) {

    public ConnectFailure {
        Objects.requireNonNull(phase, "'phase' must not be null");
        Objects.requireNonNull(at, "'at' must not be null");
        message = message != null ? message : "";
    }
}
