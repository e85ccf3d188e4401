package dev.hotpool.spring;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

import dev.hotpool.FilteredAddressException;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.RequestBody;
import dev.hotpool.internal.spring.BootClientSettings;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.AbstractStreamingClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.StreamUtils;

/**
 * A request of a {@link HotPoolClientHttpRequestFactory}: on execute, becomes a {@link HotRequest} (headers in
 * the caller's order, every value of a multi-valued header) and runs over the factory's pool. The body streams
 * to the connection; nothing is buffered here beyond what Spring buffered itself.
 *
 * <p>Not thread-safe: one request, one thread, executed once.
 */
final class HotPoolClientHttpRequest extends AbstractStreamingClientHttpRequest {

    private final HotPoolClientHttpRequestFactory factory;

    private final URI uri;

    private final HttpMethod method;

    HotPoolClientHttpRequest(HotPoolClientHttpRequestFactory factory, URI uri, HttpMethod method) {
        this.factory = factory;
        this.uri = uri;
        this.method = method;
    }

    @Override
    public HttpMethod getMethod() {
        return this.method;
    }

    @Override
    public URI getURI() {
        return this.uri;
    }

    @Override
    protected ClientHttpResponse executeInternal(HttpHeaders headers, Body body) throws IOException {
        HotRequest request = toHotRequest(headers, body);
        HotResponse response;
        try {
            response = this.factory.pool().execute(request);
        }
        catch (FilteredAddressException ex) {
            RuntimeException boots = BootClientSettings.filteredHost(ex); // What Boot's own factories throw.
            if (boots != null) {
                throw boots;
            }
            throw ex;
        }
        return new HotPoolClientHttpResponse(response);
    }

    /**
     * The request as the pool sees it.
     *
     * @throws IllegalArgumentException when a header name or value cannot be sent (CR or LF in a value):
     *     nothing has been sent
     */
    HotRequest toHotRequest(HttpHeaders headers, Body body) {
        HotRequest.Builder builder = HotRequest.builder(this.method.name(), this.uri);
        headers.forEach((name, values) -> {
            for (String value : values) {
                builder.header(name, value);
            }
        });
        if (body != null) {
            // Content-Length and Transfer-Encoding headers are not sent as given: the pool frames the body.
            builder.body(new SpringRequestBody(body, headers.getContentLength()));
        }
        builder.connectTimeout(this.factory.connectTimeout());
        builder.readTimeout(this.factory.readTimeout());
        builder.callTimeout(this.factory.callTimeout());
        builder.tls(this.factory.tls());
        builder.redirects(this.factory.redirects());
        builder.addressFilter(this.factory.addressFilter());
        builder.cookies(this.factory.cookies());
        return builder.build();
    }

    /**
     * Spring's streaming body as the pool's {@link RequestBody}.
     *
     * @param contentLength the caller's {@code Content-Length}, or {@code -1} (sent chunked)
     */
    private record SpringRequestBody(Body body, long contentLength) implements RequestBody {

        @Override
        public void writeTo(OutputStream out) throws IOException {
            // Spring's converters may close the stream they write to; the pool's must stay open.
            this.body.writeTo(StreamUtils.nonClosing(out));
        }

        @Override
        public boolean repeatable() {
            return this.body.repeatable();
        }
    }
}
