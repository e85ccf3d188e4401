package dev.hotpool;

/**
 * No connection to an origin could be leased within the acquire timeout, or the queue of waiting
 * leases was full. The message names the origin, the wait and the pool's counts.
 */
public class AcquireTimeoutException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public AcquireTimeoutException(String message) {
        super(message);
    }
}
