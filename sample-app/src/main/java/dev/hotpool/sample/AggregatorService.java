package dev.hotpool.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Ordinary service code: one page of data assembled from several upstream calls made in parallel with an injected
 * {@link RestClient}. Nothing here knows about hotpool; the parallel calls simply find warm connections. Thread-safe.
 */
@Service
class AggregatorService {

    private static final int PREVIEW_CHARS = 120;

    private final RestClient upstream;

    private final UpstreamProperties properties;

    private final AsyncTaskExecutor executor;

    AggregatorService(RestClient upstreamRestClient, UpstreamProperties properties, AsyncTaskExecutor executor) {
        this.upstream = upstreamRestClient;
        this.properties = properties;
        this.executor = executor;
    }

    /** Fetches every configured path in parallel; a failed call is reported in its part, not thrown. */
    Aggregate aggregate() {
        long start = System.nanoTime();
        List<CompletableFuture<Part>> calls = new ArrayList<>();
        for (String path : this.properties.getPaths()) {
            calls.add(CompletableFuture.supplyAsync(() -> fetch(path), this.executor));
        }
        List<Part> parts = calls.stream().map(CompletableFuture::join).toList();
        return new Aggregate(this.properties.getUrl(), Millis.since(start), parts);
    }

    private Part fetch(String path) {
        long start = System.nanoTime();
        try {
            ResponseEntity<String> response = this.upstream.get().uri(path).retrieve().toEntity(String.class);
            String body = (response.getBody() != null) ? response.getBody() : "";
            return new Part(path, response.getStatusCode().value(), Millis.since(start), body.length(),
                    preview(body), null);
        }
        catch (RestClientResponseException ex) {
            return new Part(path, ex.getStatusCode().value(), Millis.since(start), 0, null, ex.getStatusText());
        }
        catch (RestClientException ex) {
            return new Part(path, 0, Millis.since(start), 0, null, ex.getMessage());
        }
    }

    private static String preview(String body) {
        return (body.length() <= PREVIEW_CHARS) ? body : body.substring(0, PREVIEW_CHARS) + "…";
    }

    /** The assembled page: the upstream's base URL, the wall time of the whole fan-out, and each call. */
    record Aggregate(String upstream, double millis, List<Part> parts) {
    }

    /** One upstream call: its status (0 when no response came), time, size and a preview, or the error. */
    record Part(String path, int status, double millis, int bytes, String preview, String error) {
    }
}
