package dev.hotpool.benchmarks.load;

import java.net.URI;

/**
 * One client under test, open and ready: hands each load thread the call it makes in a loop.
 *
 * <p>Thread-safe: {@link #caller} is called once per worker index, and each caller is used by one thread at a time.
 */
interface BenchClient extends AutoCloseable {

    /**
     * One exchange, the response read to its end; returns how many response body bytes came. A GET when
     * {@code body} is {@code null}, else a POST of {@code body} (shared: never written to).
     */
    @FunctionalInterface
    interface Caller {
        long call(URI uri, byte[] body) throws Exception;
    }

    /** The call for one worker index ({@code 0 ≤ worker < 32}). */
    Caller caller(int worker);

    /** Lets go of every connection and thread the client holds. */
    @Override
    void close();
}
