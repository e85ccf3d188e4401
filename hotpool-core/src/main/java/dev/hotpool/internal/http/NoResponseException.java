package dev.hotpool.internal.http;

import dev.hotpool.HotPoolException;

/** The server closed the connection instead of sending a response head: a reused one may be retried. */
final class NoResponseException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    NoResponseException(String message) {
        super(message);
    }
}
