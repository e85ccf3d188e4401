package dev.hotpool.benchmarks.framing;

import java.net.URI;
import java.time.Duration;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;

/**
 * hotpool through its core API, a fresh {@link HotPool} with the default configuration but the timeouts: the body is
 * read to its end inside try-with-resources, as a user does. Not thread-safe.
 */
final class HotpoolFramingClient implements FramingClient {

    private final HotPool pool;

    HotpoolFramingClient(Duration timeout) {
        this.pool = new HotPool(HotPoolConfig.builder().name("framing-comparison").connectTimeout(timeout)
                .readTimeout(timeout).build());
    }

    @Override
    public byte[] exchange(String method, URI uri) throws Exception {
        try (HotResponse response = this.pool.execute(HotRequest.builder(method, uri).build())) {
            return response.body().readAllBytes();
        }
    }

    @Override
    public void close() {
        this.pool.close();
    }
}
