package dev.hotpool.benchmarks.framing;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JDK's {@code java.net.http.HttpClient}, HTTP/1.1 forced (no {@code h2c} upgrade), its defaults otherwise, the
 * body read into a byte array. A fresh client per case: its connection pool is the client's. Not thread-safe (one
 * exchange at a time, though the client itself is).
 */
final class JdkFramingClient implements FramingClient {

    private final HttpClient client;
    private final Duration timeout;

    JdkFramingClient(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public byte[] exchange(String method, URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(this.timeout).build();
        return this.client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    /** Java 21 added {@code shutdownNow()}; on 17 the client's threads end when it is collected. */
    @Override
    public void close() {
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(this.client);
        }
        catch (ReflectiveOperationException e) {
            // Java 17: nothing to call.
        }
    }
}
