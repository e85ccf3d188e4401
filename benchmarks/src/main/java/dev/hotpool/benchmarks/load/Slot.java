package dev.hotpool.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * The measured part of one client's turn: one client, one thread count, one path, one round. Written by the
 * harness's controller thread after the window; read by the report.
 */
final class Slot {

    String client;
    int threads;
    String path;
    /** The shape, or {@code null} for the {@code GET /204} pass. */
    Shape shape;
    int round;
    String tag;
    /** {@code /proc/loadavg}'s three load averages when the timed window began. */
    String loadAverage = "";
    long requests;
    long nanos;
    /** Request latency in nanoseconds (closed loop: a slow request delays the thread's next one). */
    Histogram latency;
    /** Bytes allocated during the window by every thread of the JVM (the client's own I/O threads included). */
    long allocatedAll;
    /** Bytes allocated during the window by the load threads alone. */
    long allocatedCallers;
    long cpuNanos;
    /** The JVM's kernel-mode CPU in the window (from /proc/self/stat), part of {@link #cpuNanos}. */
    long sysCpuNanos;
    /** Voluntary and involuntary context switches of all JVM threads in the window (/proc/self/task/N/status). */
    long contextSwitches;
    /** CPU of nginx's worker process in the window, or -1 when unknown. */
    long nginxCpuNanos = -1;
    long gcCount;
    long gcMillis;
    long errors;
    String firstError;

    double throughput() {
        return this.requests / (this.nanos / 1e9);
    }
}
