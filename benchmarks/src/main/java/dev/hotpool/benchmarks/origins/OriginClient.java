package dev.hotpool.benchmarks.origins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * One client under test, reduced to what the benchmark does with it: GET a URI and read the body to its end, run
 * the idle sweep, and tell what its pool holds. Implementations are thread-safe: {@link #get} is called from every
 * load thread at once.
 */
interface OriginClient extends AutoCloseable {

    /** Sends {@code GET uri}, reads the body to its end and returns its length; a status other than 200 fails. */
    long get(URI uri) throws IOException;

    /** Closes what the client's own upkeep closes for connections idle past the idle timeout; returns a summary. */
    String sweep();

    /** What the pool holds now. */
    Held held();

    /** Closes the client and every connection it holds. */
    @Override
    void close();

    /**
     * A snapshot of the pool.
     *
     * @param routes routes (origins) the pool keeps an entry for
     * @param routesWithoutConnection of those, the ones with no connection open, leased or connecting
     * @param connections connections open (idle, leased or connecting)
     * @param opened connections opened since the client was built
     * @param detail the pool's own summary of its counts, as it prints them
     */
    record Held(int routes, int routesWithoutConnection, int connections, long opened, String detail) {
    }

    /** Reads a body to its end into a scratch buffer; returns its length. */
    static long drain(InputStream body, byte[] buffer) throws IOException {
        long n = 0;
        int k;
        while ((k = body.read(buffer)) >= 0) {
            n += k;
        }
        return n;
    }
}
