package dev.hotpool.benchmarks.framing;

import java.net.URI;
import java.time.Duration;

/**
 * One client under comparison, fresh for one corpus case: it sends a request and reads the whole body, as a user of
 * that client would. Not thread-safe: one exchange at a time.
 */
interface FramingClient extends AutoCloseable {

    /**
     * Sends {@code method uri} with no body and reads the whole response body.
     *
     * @return the body as delivered (empty for a response without one)
     * @throws Exception whatever the client throws, as it throws it
     */
    byte[] exchange(String method, URI uri) throws Exception;

    /** Closes the client and every connection it holds, at once. Never throws. */
    @Override
    void close();

    /** The three clients, each opened with its defaults and only the timeouts set. */
    enum Kind {
        /** hotpool's core API: a {@code HotPool} with its default configuration. */
        HOTPOOL("hotpool"),
        /** Apache HttpClient 5 classic with a {@code PoolingHttpClientConnectionManager}, defaults. */
        HC5("HttpClient 5"),
        /** {@code java.net.http.HttpClient}, HTTP/1.1 forced. */
        JDK("JDK client");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return this.label;
        }

        /** @param timeout the connect and read timeout (the JDK client: connect and response timeout) */
        FramingClient open(Duration timeout) {
            return switch (this) {
                case HOTPOOL -> new HotpoolFramingClient(timeout);
                case HC5 -> new Hc5FramingClient(timeout);
                case JDK -> new JdkFramingClient(timeout);
            };
        }
    }
}
