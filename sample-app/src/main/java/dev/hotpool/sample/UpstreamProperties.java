package dev.hotpool.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service the sample calls ({@code sample.upstream.*}).
 */
@ConfigurationProperties("sample.upstream")
public class UpstreamProperties {

    /**
     * Base URL of the upstream the sample calls, such as 'https://api.example.com'. When not set, the sample starts
     * its own HTTPS upstream on loopback and calls 'https://localhost:{port}'.
     */
    private String url;

    /**
     * Port of the embedded HTTPS upstream, on loopback only; 0 picks a free port. Unused when 'url' is set.
     */
    private int port = EmbeddedUpstream.DEFAULT_PORT;

    /**
     * Paths the aggregator ('/aggregate') fetches in parallel, relative to the upstream's URL.
     */
    private List<String> paths = new ArrayList<>(List.of("/api/profile", "/api/orders", "/api/recommendations"));

    /**
     * Path the demo ('/demo') calls for its cold and hot calls.
     */
    private String demoPath = "/api/profile";

    /**
     * Whether the embedded upstream runs. Set at startup: true exactly when 'url' was not configured.
     */
    private boolean embedded;

    public String getUrl() {
        return this.url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public int getPort() {
        return this.port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public List<String> getPaths() {
        return this.paths;
    }

    public void setPaths(List<String> paths) {
        this.paths = paths;
    }

    public String getDemoPath() {
        return this.demoPath;
    }

    public void setDemoPath(String demoPath) {
        this.demoPath = demoPath;
    }

    public boolean isEmbedded() {
        return this.embedded;
    }

    public void setEmbedded(boolean embedded) {
        this.embedded = embedded;
    }
}
