package dev.hotpool;

/** Whether responses that redirect are followed. */
public enum RedirectPolicy {

    /**
     * 301, 302, 303, 307 and 308 are followed, up to {@code max-redirects}, as HttpClient 5 follows them: 303 turns
     * every method but HEAD into a GET without a body; 301 and 302 turn POST into a GET without a body and keep every
     * other method; 307 and 308 keep the method and its body. A redirect that would send a body again is followed
     * only when the body is replayable; otherwise the caller gets the redirect response. Never from {@code https} to
     * {@code http}. On a redirect to another origin, the caller's {@code Authorization}, {@code Cookie} and
     * {@code Proxy-Authorization} headers are not sent again.
     */
    FOLLOW,

    /** The redirect response is returned to the caller as it came. */
    DONT_FOLLOW
}
