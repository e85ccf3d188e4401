package dev.hotpool.internal.pool;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live connections (open or being opened) of one route per address, so new connections go to the
 * address with the fewest, ties taken in turn. Lock-free and thread-safe.
 */
final class AddressLoad {

    private final Map<InetAddress, AtomicInteger> live = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();

    int live(InetAddress address) {
        AtomicInteger n = this.live.get(address);
        return n == null ? 0 : n.get();
    }

    void add(InetAddress address, int delta) {
        this.live.computeIfAbsent(address, a -> new AtomicInteger()).addAndGet(delta);
    }

    /** The candidate with the fewest live connections, ties taken in turn. */
    InetAddress leastLoaded(List<InetAddress> candidates) {
        int fewest = Integer.MAX_VALUE;
        List<InetAddress> tied = new ArrayList<>(candidates.size());
        for (InetAddress a : candidates) {
            int live = live(a);
            if (live < fewest) {
                fewest = live;
                tied.clear();
            }
            if (live == fewest) {
                tied.add(a);
            }
        }
        return tied.get((this.turn.getAndIncrement() & Integer.MAX_VALUE) % tied.size());
    }
}
