package dev.hotpool.benchmarks.origins;

import dev.hotpool.benchmarks.load.BenchTls;

/** The clients the many-origins benchmark compares, by the id used on the command line and in the results. Immutable. */
enum ClientKind {

    /** hotpool's core API. */
    HOTPOOL("hotpool", "hotpool") {
        @Override
        OriginClient open(OriginNames names, Limits limits, BenchTls tls) {
            return new HotPoolOriginClient(names, limits, tls);
        }
    },

    /** Apache HttpClient 5 classic, pooling connection manager. */
    HC5("hc5", "HttpClient 5") {
        @Override
        OriginClient open(OriginNames names, Limits limits, BenchTls tls) {
            return new Hc5OriginClient(names, limits, tls);
        }
    };

    private final String id;
    private final String label;

    ClientKind(String id, String label) {
        this.id = id;
        this.label = label;
    }

    String id() {
        return this.id;
    }

    String label() {
        return this.label;
    }

    /** A new client that resolves exactly {@code names}; {@code tls} is null for plain HTTP. */
    abstract OriginClient open(OriginNames names, Limits limits, BenchTls tls);

    static ClientKind of(String id) {
        for (ClientKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("benchmark: unknown client " + id + " (hotpool or hc5)");
    }
}
