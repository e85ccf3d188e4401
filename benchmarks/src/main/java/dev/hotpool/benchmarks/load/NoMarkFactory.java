package dev.hotpool.benchmarks.load;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A request factory that hides {@code mark} support of the response body it delegates to: RestClient then wraps
 * the body in a {@code PushbackInputStream} and {@code ByteArrayHttpMessageConverter}'s {@code readNBytes} is
 * {@code InputStream}'s (8 KiB chunks, then one copy into the result). Over hotpool's factory, this is how hotpool's
 * body was read before {@code ResponseBody} supported mark/reset and sized {@code readNBytes}: the "before" of that
 * change, measured in the same run as the "after". GET only (no request body is passed on).
 *
 * <p>Thread-safe when the delegate is.
 */
final class NoMarkFactory implements ClientHttpRequestFactory {

    private final ClientHttpRequestFactory delegate;

    /** Whether the client is the "before" row of this comparison: shown in the tables, judged by no target. */
    static boolean isBefore(ClientSpec spec) {
        return spec.id().endsWith("-nomark");
    }

    /** Whether the "before" row applies to the shape: GET only. */
    static boolean applies(ClientSpec spec, Shape shape) {
        return !isBefore(spec) || shape.requestBytes == 0;
    }

    NoMarkFactory(ClientHttpRequestFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
        ClientHttpRequest request = this.delegate.createRequest(uri, httpMethod);
        return new ClientHttpRequest() {
            @Override
            public ClientHttpResponse execute() throws IOException {
                return new NoMarkResponse(request.execute());
            }

            @Override
            public OutputStream getBody() throws IOException {
                return request.getBody();
            }

            @Override
            public HttpMethod getMethod() {
                return request.getMethod();
            }

            @Override
            public URI getURI() {
                return request.getURI();
            }

            @Override
            public Map<String, Object> getAttributes() {
                return request.getAttributes();
            }

            @Override
            public HttpHeaders getHeaders() {
                return request.getHeaders();
            }
        };
    }

    private static final class NoMarkResponse implements ClientHttpResponse {

        private final ClientHttpResponse response;
        private InputStream body;

        NoMarkResponse(ClientHttpResponse response) {
            this.response = response;
        }

        @Override
        public HttpStatusCode getStatusCode() throws IOException {
            return this.response.getStatusCode();
        }

        @Override
        public String getStatusText() throws IOException {
            return this.response.getStatusText();
        }

        @Override
        public HttpHeaders getHeaders() {
            return this.response.getHeaders();
        }

        @Override
        public InputStream getBody() throws IOException {
            if (this.body == null) {
                this.body = new FilterInputStream(this.response.getBody()) {
                    @Override
                    public boolean markSupported() {
                        return false;
                    }
                };
            }
            return this.body;
        }

        @Override
        public void close() {
            this.response.close();
        }
    }
}
