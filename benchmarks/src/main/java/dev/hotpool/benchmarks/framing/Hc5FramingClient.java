package dev.hotpool.benchmarks.framing;

import java.net.URI;
import java.time.Duration;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5 classic as a user has it: {@code HttpClients.custom()} over a
 * {@code PoolingHttpClientConnectionManager}, every default kept (its response parser, keep-alive strategy, stale
 * check after 2 s of inactivity, one retry of an idempotent request, content decompression) but the connect, socket
 * and response timeouts. The body is read in a response handler, after which the client consumes what is left and
 * releases the connection. Not thread-safe (one exchange at a time, though the client itself is).
 */
final class Hc5FramingClient implements FramingClient {

    private final CloseableHttpClient client;

    Hc5FramingClient(Duration timeout) {
        Timeout t = Timeout.ofMilliseconds(timeout.toMillis());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).build())
                .build();
    }

    @Override
    public byte[] exchange(String method, URI uri) throws Exception {
        return this.client.execute(ClassicRequestBuilder.create(method).setUri(uri).build(), response -> {
            HttpEntity entity = response.getEntity();
            return entity == null ? new byte[0] : EntityUtils.toByteArray(entity);
        });
    }

    @Override
    public void close() {
        this.client.close(CloseMode.IMMEDIATE);
    }
}
