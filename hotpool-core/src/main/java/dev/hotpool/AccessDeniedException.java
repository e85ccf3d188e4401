package dev.hotpool;

/**
 * The access policy refused every address of a host. Nothing was sent. The message names the host, the
 * address and the rule that refused it.
 */
public class AccessDeniedException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }
}
