package dev.hotpool;

/**
 * A server sent something that is not a valid HTTP/1.1 response (bad status line, invalid chunk,
 * oversized head, body shorter than announced). The connection it came on has been closed.
 */
public class MalformedResponseException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
