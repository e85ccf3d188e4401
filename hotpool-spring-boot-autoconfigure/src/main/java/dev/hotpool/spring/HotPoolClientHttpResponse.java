package dev.hotpool.spring;

import java.io.InputStream;

import dev.hotpool.HotResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A {@link ClientHttpResponse} over a {@link HotResponse}. Its body gives the connection back to the pool when
 * read to the end; {@link #close()} drains a small remainder or closes the connection.
 *
 * <p>Not thread-safe, like the response it wraps.
 */
final class HotPoolClientHttpResponse implements ClientHttpResponse {

    private final HotResponse response;

    private HttpHeaders headers;

    HotPoolClientHttpResponse(HotResponse response) {
        this.response = response;
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatusCode.valueOf(this.response.status());
    }

    @Override
    public String getStatusText() {
        return this.response.reason();
    }

    @Override
    public HttpHeaders getHeaders() {
        if (this.headers == null) {
            this.headers = new HttpHeaders(new HotResponseHeaders(this.response.headers()));
        }
        return this.headers;
    }

    @Override
    public InputStream getBody() {
        return this.response.body();
    }

    @Override
    public void close() {
        this.response.close();
    }

    @Override
    public String toString() {
        return "HotPoolClientHttpResponse[" + this.response.status() + "]";
    }
}
