package dev.hotpool;

/** Whether responses that redirect are followed. */
public enum RedirectPolicy {

    /**
     * GET and HEAD follow 301, 302, 303, 307 and 308 up to the configured maximum; never from
     * {@code https} to {@code http}. Other methods get the redirect response itself.
     */
    FOLLOW,

    /** The redirect response is returned to the caller as it came. */
    DONT_FOLLOW
}
