package dev.hotpool.internal.http;

import dev.hotpool.Origin;
import dev.hotpool.testsupport.Choices;

import java.lang.management.ManagementFactory;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * What the fuzz targets share: the origin their messages name, fuzz bytes as {@link Choices}, and the memory bound
 * every target checks (no allocation proportional to a length the input announces beyond what arrived). Public for the
 * fuzz targets of {@code internal.http2}.
 */
public final class FuzzSupport {

    public static final Origin ORIGIN = Origin.parse("http://fuzz.test:8080");

    /** Bytes a target may allocate per input byte, beyond {@link #ALLOCATION_BASE}. */
    public static final long ALLOCATION_PER_BYTE = 64;

    /** Bytes a target may allocate whatever its input: buffers, exceptions and their stack traces, the pool. */
    public static final long ALLOCATION_BASE = 4L * 1024 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzSupport() {
    }

    /** Bytes this thread has allocated so far. */
    public static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** A target's work on one input. */
    public interface Run {
        void run(boolean checked) throws java.io.IOException;
    }

    /**
     * Runs a target on an input with its checks against the reference (which allocate as they like), then up to three
     * times more without them, measuring what hotpool allocates: those runs find every class loaded and instrumented,
     * and the least of them is taken, since the thread's allocation counter sometimes jumps by a whole allocation
     * buffer while the fuzzer runs. An allocation that follows the input is there every time.
     */
    public static void runAndMeasure(Run run, int inputLength, String target) throws java.io.IOException {
        run.run(true);
        long bound = ALLOCATION_BASE + ALLOCATION_PER_BYTE * inputLength;
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3 && least > bound; i++) {
            long before = allocated();
            run.run(false);
            least = Math.min(least, allocated() - before);
        }
        if (least > bound) {
            throw new AssertionError(target + " allocated " + least + " bytes for an input of " + inputLength
                    + " (bound " + bound + ")");
        }
    }

    /** Fails when a run allocated more than its input can account for. */
    public static void checkAllocation(long before, int inputLength, String target) {
        long used = allocated() - before;
        long bound = ALLOCATION_BASE + ALLOCATION_PER_BYTE * inputLength;
        if (used > bound) {
            throw new AssertionError(target + " allocated " + used + " bytes for an input of " + inputLength
                    + " (bound " + bound + ")");
        }
    }

    /** The fuzz engine's bytes as choices (a provider out of bytes answers its minimum). */
    public static Choices choices(FuzzedDataProvider data) {
        return new Choices() {
            @Override
            public int nextInt(int bound) {
                return bound == 1 ? 0 : data.consumeInt(0, bound - 1);
            }

            @Override
            public byte[] bytes(int n) {
                byte[] b = data.consumeBytes(n);
                return b.length == n ? b : java.util.Arrays.copyOf(b, n);
            }
        };
    }
}
