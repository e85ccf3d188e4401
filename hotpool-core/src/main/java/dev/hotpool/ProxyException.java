package dev.hotpool;

/**
 * An HTTP proxy refused to carry a request: it answered a {@code CONNECT} with something other than 2xx (e.g.
 * {@code 403}, {@code 502}), or asked for credentials ({@code 407 Proxy Authentication Required}), or could not be
 * reached. The message names the proxy ({@code host:port}, never the credentials), the origin and the status. The
 * connection is discarded, and the request is not retried: a proxy's refusal is not a stale connection.
 *
 * <p>Public API: catch it, or {@link ConnectException}, of which it is one.
 */
public class ProxyException extends ConnectException {

    private static final long serialVersionUID = 1L;

    private final String proxy;

    private final int status;

    /**
     * @param proxy the proxy's {@code host:port}
     * @param status the proxy's status code, or {@code -1} when it gave none (unreachable, closed, malformed answer)
     */
    public ProxyException(String message, String proxy, int status, Throwable cause) {
        super(message, cause);
        this.proxy = proxy;
        this.status = status;
    }

    /** The proxy's {@code host:port}. */
    public String proxy() {
        return this.proxy;
    }

    /** The status the proxy answered with ({@code 407}, {@code 403}, {@code 502}, …), or {@code -1} for none. */
    public int status() {
        return this.status;
    }
}
