package dev.hotpool.sample;

/** Elapsed times as milliseconds with two decimals, the unit the sample's JSON answers use. */
final class Millis {

    private Millis() {
    }

    static double since(long startNanos) {
        return of(System.nanoTime() - startNanos);
    }

    static double of(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
