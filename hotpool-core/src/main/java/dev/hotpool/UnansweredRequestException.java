package dev.hotpool;

/**
 * A kept-alive connection was closed or reset by the server after the request was written and before any
 * byte of a response arrived, and the request could not be retried safely (not idempotent, no
 * {@code Idempotency-Key} header, a body that cannot be replayed, or retries used up). The server may or may
 * not have processed the request.
 */
public class UnansweredRequestException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public UnansweredRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
