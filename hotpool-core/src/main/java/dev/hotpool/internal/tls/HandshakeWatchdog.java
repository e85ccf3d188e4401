package dev.hotpool.internal.tls;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Cancels handshakes that outlive their budget by running a task (closing the raw socket) at the deadline.
 * {@code soTimeout} alone bounds each read, not the whole handshake: a server that trickles bytes could hold a
 * handshake far past the connect timeout.
 *
 * <p>Thread-safe. One daemon thread for the JVM, started on first use; cancelled tasks are removed at once, so
 * a handshake that finishes in time leaves nothing behind.
 */
final class HandshakeWatchdog {

    private HandshakeWatchdog() {
    }

    static ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return Holder.EXECUTOR.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    private static final class Holder {

        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (r) -> {
                Thread t = new Thread(r, "hotpool-tls-watchdog");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
