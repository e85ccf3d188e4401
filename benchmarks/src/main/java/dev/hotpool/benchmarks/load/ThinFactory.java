package dev.hotpool.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The ceiling for "through RestClient": the thinnest {@link ClientHttpRequestFactory} there can be over a kept-alive
 * TLS socket. Each calling thread owns one {@link RawHttpsConnection} to the one origin it serves; a request is its
 * head (request line, {@code Host}, the caller's headers) and body written in one go, the response head is parsed
 * into {@link HttpHeaders} and the body is read by {@code Content-Length}. No pool, no limits, no redirects, no
 * retries: everything a real client adds is missing on purpose.
 *
 * <p>Thread-safe: connections are thread-confined. {@link #close()} closes every thread's connection.
 */
final class ThinFactory implements ClientHttpRequestFactory, Closeable {

    private final SSLContext context;
    private final String host;
    private final int port;
    private final byte[] hostLine;
    private final List<RawHttpsConnection> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<RawHttpsConnection> connections;

    ThinFactory(SSLContext context, String host, int port) {
        this.context = context;
        this.host = host;
        this.port = port;
        this.hostLine = ("Host: " + host + ":" + port + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.connections = ThreadLocal.withInitial(() -> {
            RawHttpsConnection c = new RawHttpsConnection(this.context, this.host, this.port);
            this.all.add(c);
            return c;
        });
    }

    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
        return new ThinRequest(uri, httpMethod);
    }

    long handshakes() {
        return this.all.stream().mapToLong(RawHttpsConnection::handshakes).sum();
    }

    @Override
    public void close() {
        this.all.forEach(RawHttpsConnection::close);
        this.all.clear();
    }

    private final class ThinRequest extends AbstractClientHttpRequest {

        private final URI uri;
        private final HttpMethod method;
        private ByteArrayOutputStream body;

        ThinRequest(URI uri, HttpMethod method) {
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
        protected OutputStream getBodyInternal(HttpHeaders headers) {
            if (this.body == null) {
                this.body = new ByteArrayOutputStream(256);
            }
            return this.body;
        }

        @Override
        protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(256);
            String query = this.uri.getRawQuery();
            head.writeBytes((this.method.name() + " " + this.uri.getRawPath() + (query != null ? "?" + query : "")
                    + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes(ThinFactory.this.hostLine);
            StringBuilder fields = new StringBuilder(128);
            headers.forEach((name, values) -> {
                for (String value : values) {
                    fields.append(name).append(": ").append(value).append("\r\n");
                }
            });
            if (this.body != null && headers.getContentLength() < 0) {
                fields.append("Content-Length: ").append(this.body.size()).append("\r\n");
            }
            fields.append("\r\n");
            head.writeBytes(fields.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (this.body != null) {
                this.body.writeTo(head);
            }
            RawHttpsConnection connection = ThinFactory.this.connections.get();
            HttpHeaders responseHeaders = new HttpHeaders();
            int status;
            try {
                connection.send(head.toByteArray());
                status = connection.readHead(responseHeaders::add);
            }
            catch (IOException e) {
                connection.close(); // A kept-alive socket the server closed: once more on a new one.
                connection.send(head.toByteArray());
                status = connection.readHead(responseHeaders::add);
            }
            return new ThinResponse(status, responseHeaders, connection);
        }
    }

    private static final class ThinResponse implements ClientHttpResponse {

        private final int status;
        private final HttpHeaders headers;
        private final RawHttpsConnection connection;
        private final InputStream body;

        ThinResponse(int status, HttpHeaders headers, RawHttpsConnection connection) {
            this.status = status;
            this.headers = headers;
            this.connection = connection;
            this.body = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return len == 0 ? 0 : ThinResponse.this.connection.readBody(b, off, len);
                }
            };
        }

        @Override
        public HttpStatusCode getStatusCode() {
            return HttpStatusCode.valueOf(this.status);
        }

        @Override
        public String getStatusText() {
            return "";
        }

        @Override
        public HttpHeaders getHeaders() {
            return this.headers;
        }

        @Override
        public InputStream getBody() {
            return this.body;
        }

        @Override
        public void close() {
            try {
                this.connection.skipBody(); // Leave the socket at the next response's first byte.
            }
            catch (IOException e) {
                this.connection.close();
            }
        }
    }
}
