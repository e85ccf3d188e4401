package dev.hotpool.benchmarks.framing;

import dev.hotpool.internal.http.FramingCorpus;

import java.util.Arrays;

/**
 * What one client did with one corpus case.
 *
 * @param kind delivered and reused, delivered and not reused, refused, or stuck
 * @param body the body delivered, or {@code null} when nothing was delivered
 * @param error the exception for {@link Kind#ERROR} and {@link Kind#HANG} ({@code Class: message}), else {@code null}
 * @param sameConnection whether {@code /next} came on the connection the case's response was sent on (possible even
 *     after an error, for a client that reuses a connection it should not)
 * @param tries how many times the case's request reached the server (a client may retry it)
 * @param nextError how the {@code /next} request after the case failed, or {@code null}
 */
record Outcome(Kind kind, byte[] body, String error, boolean sameConnection, int tries, String nextError) {

    /** What happened to the case's response. */
    enum Kind {
        /** Delivered, and {@code /next} came on the same connection. */
        REUSE,
        /** Delivered, and {@code /next} came on another connection (or none). */
        CLOSE,
        /** The client threw while sending the request or reading the response. */
        ERROR,
        /** The client waited for bytes that never came, until its timeout or the watchdog. */
        HANG;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    boolean delivered() {
        return this.kind == Kind.REUSE || this.kind == Kind.CLOSE;
    }

    /** Whether the delivered body is the corpus's (false when nothing was delivered). */
    boolean bodyIs(byte[] expected) {
        return this.body != null && Arrays.equals(this.body, expected);
    }

    /** Whether this is the verdict the corpus gives hotpool, body included. */
    boolean matches(FramingCorpus.Case c) {
        return switch (c.verdict()) {
            case REUSE -> this.kind == Kind.REUSE && bodyIs(c.body());
            case CLOSE -> this.kind == Kind.CLOSE && bodyIs(c.body());
            case ERROR -> this.kind == Kind.ERROR && !this.sameConnection;
        };
    }
}
