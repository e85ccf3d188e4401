package dev.hotpool.benchmarks.origins;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap in use after a forced full collection: {@code System.gc()} (a full, compacting collection under G1 unless
 * {@code -XX:+ExplicitGCInvokesConcurrent}), a pause for reference processing and cleaners, repeated until two
 * readings in a row agree within {@link #SETTLED_BYTES}.
 *
 * <p>Thread-safe: stateless. Meant to be called while no load thread runs.
 */
final class HeapProbe {

    /** Two readings this close count as settled. */
    static final long SETTLED_BYTES = 16 * 1024;

    private static final int MAX_COLLECTIONS = 10;
    private static final long PAUSE_MILLIS = 200;

    private HeapProbe() {
    }

    /** Bytes of heap in use once collections stop freeing anything. */
    static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = -1;
        for (int i = 0; i < MAX_COLLECTIONS; i++) {
            System.gc();
            Thread.sleep(PAUSE_MILLIS);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (last >= 0 && Math.abs(used - last) <= SETTLED_BYTES) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
