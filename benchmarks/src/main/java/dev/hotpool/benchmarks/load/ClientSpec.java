package dev.hotpool.benchmarks.load;

/**
 * A client the harness can open as many times as it needs (one long-lived instance for the load windows, fresh
 * ones for the first-request measurements).
 *
 * @param id short stable identifier, used in tags, JSON and command-line filters
 * @param label the name in tables
 * @param shortLabel the name on the chart's axis
 * @param kind what the row is compared as
 * @param note how the client is configured, for the report
 * @param unavailable why it cannot be measured in this build, or {@code null}
 * @param opener opens a fresh instance
 */
record ClientSpec(String id, String label, String shortLabel, Kind kind, String note, String unavailable, Opener opener) {

    /** What a row is. */
    enum Kind {
        /** hotpool through RestClient. */
        HOTPOOL,
        /** hotpool's core API, no RestClient. */
        HOTPOOL_CORE,
        /** Another client through RestClient, via Spring's ClientHttpRequestFactory for it. */
        PEER,
        /** The thinnest possible ClientHttpRequestFactory over a raw kept-alive TLS socket, through RestClient. */
        CEILING_RESTCLIENT,
        /** A raw kept-alive TLS socket per thread, no RestClient. */
        CEILING_RAW
    }

    /** hotpool's warm-up of the benchmark origin, for the first-request measurements; other clients have none. */
    enum Warmup {
        /** No warm-up: the first request connects. */
        OFF,
        /** {@code warmup.hosts} with two idle connections per host: TCP + TLS handshake before the first request. */
        CONNECT,
        /** As CONNECT, plus {@code health-check.probe-path=/204}: each warmed connection also carries a HEAD. */
        PROBE
    }

    /** Opens a fresh instance. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param warmup for hotpool: the warm-up of the benchmark origin, waited for before returning
         */
        BenchClient open(Setup setup, Warmup warmup) throws Exception;
    }

    boolean available() {
        return this.unavailable == null;
    }
}
