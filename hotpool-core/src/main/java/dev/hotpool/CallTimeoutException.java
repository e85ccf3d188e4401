package dev.hotpool;

import java.time.Duration;

/**
 * A call ran past its call timeout ({@code hotpool.call-timeout}, or the request's own) before its response head
 * arrived. The message names the origin, the timeout and the phase that ran out; a connection the call held was
 * discarded, never returned to the pool.
 */
public class CallTimeoutException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    /** Where the call was when its time ran out. */
    public enum Phase {

        /** Waiting for a connection of the pool (the limits were reached). */
        ACQUIRE("waiting for a connection"),

        /** Opening the TCP connection (every address tried). */
        CONNECT("connecting"),

        /** In the TLS handshake of a new connection. */
        TLS_HANDSHAKE("in the TLS handshake"),

        /** Writing the request head or body. */
        REQUEST("sending the request"),

        /** Waiting for the response head, or reading it. */
        RESPONSE_HEAD("waiting for the response head");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        /** The phase as the message says it, e.g. {@code waiting for the response head}. */
        public String description() {
            return this.description;
        }
    }

    private final Phase phase;
    private final Duration timeout;

    public CallTimeoutException(String message, Phase phase, Duration timeout, Throwable cause) {
        super(message, cause);
        this.phase = phase;
        this.timeout = timeout;
    }

    /** The phase that ran out of time. */
    public Phase phase() {
        return this.phase;
    }

    /** The call timeout that ran out. */
    public Duration timeout() {
        return this.timeout;
    }
}
