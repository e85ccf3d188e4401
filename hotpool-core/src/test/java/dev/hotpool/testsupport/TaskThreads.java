package dev.hotpool.testsupport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each task on a daemon thread of its own, for tasks that block (a lease waiting in line, a socket or pipe
 * read): pass it to {@code CompletableFuture.supplyAsync(task, threads)}. CompletableFuture's default executor does
 * not do for them: on Java 25 on a 2-CPU machine it is the common ForkJoinPool at parallelism 1, which runs such
 * tasks one at a time (Java 17 started a thread per task there instead).
 *
 * <p>Thread-safe. {@link #close()} refuses new tasks, interrupts those still running and waits up to 10 s for their
 * threads to end; it is idempotent.
 */
public final class TaskThreads implements Executor, AutoCloseable {

    private final String name;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean closed;

    /** @param name names the threads ({@code name-1}, {@code name-2}, ...) */
    public TaskThreads(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        if (this.closed) {
            throw new RejectedExecutionException(this.name + " is closed");
        }
        Thread t = new Thread(() -> {
            try {
                task.run();
            }
            finally {
                this.running.remove(Thread.currentThread());
            }
        }, this.name + "-" + this.started.incrementAndGet());
        t.setDaemon(true);
        this.running.add(t);
        t.start();
    }

    /** Tasks started so far. */
    public int started() {
        return this.started.get();
    }

    @Override
    public void close() {
        this.closed = true;
        for (Thread t : this.running) {
            t.interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : this.running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return this.name + ": " + this.started + " started, " + this.running.size() + " running"
                + (this.closed ? " (closed)" : "");
    }
}
