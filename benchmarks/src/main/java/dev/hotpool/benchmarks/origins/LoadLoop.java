package dev.hotpool.benchmarks.origins;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load over a set of names: every thread takes the next request number k from one shared counter and
 * sends request k to name k mod N, so the names are visited in turn and every name's next request comes N requests
 * after its last one. A failed request is counted (and its first few messages kept), never retried by the loop; the
 * clients keep their own default retry of an idempotent request on a kept-alive connection that was found closed.
 *
 * <p>Not thread-safe itself: one {@link #run} at a time; it starts and joins its own threads.
 */
final class LoadLoop {

    /** How many distinct failure messages a result keeps. */
    private static final int FAILURE_SAMPLES = 5;

    /**
     * When to stop handing out request numbers: once {@code minNanos} have passed and at least {@code minRequests}
     * were handed out, or once {@code maxNanos} have passed whatever the count.
     */
    record Stop(long minNanos, long minRequests, long maxNanos) {

        boolean reached(long elapsedNanos, long handedOut) {
            return elapsedNanos >= this.maxNanos || (elapsedNanos >= this.minNanos && handedOut >= this.minRequests);
        }
    }

    /**
     * What one run did.
     *
     * @param requests requests answered 200 with their body read to the end
     * @param failures requests that threw (any exception, or a status other than 200)
     * @param nanos from the first request number handed out to the last thread done
     * @param failureSamples the first few distinct failure messages
     */
    record Result(long requests, long failures, long nanos, List<String> failureSamples) {

        double perSecond() {
            return this.nanos == 0 ? 0 : this.requests * 1e9 / this.nanos;
        }

        /** Whether every request number below {@code n} was sent: one full pass over n names. */
        boolean covered(long n) {
            return this.requests + this.failures >= n;
        }
    }

    private final OriginClient client;
    private final OriginNames names;
    private final String scheme;
    private final int port;
    private final String path;
    private final int threads;

    LoadLoop(OriginClient client, OriginNames names, String scheme, int port, String path, int threads) {
        this.client = client;
        this.names = names;
        this.scheme = scheme;
        this.port = port;
        this.path = path;
        this.threads = threads;
    }

    Result run(Stop stop) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < this.threads; t++) {
            Thread worker = new Thread(() -> {
                // Both conditions only grow true: once one thread stops, every later request number stops too.
                for (long k = next.getAndIncrement(); !stop.reached(System.nanoTime() - start, k);
                        k = next.getAndIncrement()) {
                    URI uri = this.names.uri(this.scheme, this.port, this.path, k % this.names.count());
                    try {
                        this.client.get(uri);
                        ok.increment();
                    }
                    catch (Exception e) {
                        failed.increment();
                        keep(samples, e.toString());
                    }
                }
            }, "origins-load-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long nanos = System.nanoTime() - start;
        return new Result(ok.sum(), failed.sum(), nanos, List.copyOf(samples));
    }

    private static void keep(List<String> samples, String message) {
        synchronized (samples) {
            if (samples.size() < FAILURE_SAMPLES && !samples.contains(message)) {
                samples.add(message);
            }
        }
    }
}
