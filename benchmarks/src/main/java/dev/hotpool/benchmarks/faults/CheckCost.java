package dev.hotpool.benchmarks.faults;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.benchmarks.load.Args;

/**
 * What the check before a request that cannot be retried costs, measured side by side on a busy machine: two pools,
 * {@code check=on} (the default, {@code validate-non-retryable-after-inactivity} 50 ms) and {@code check=off} (set to
 * {@code validate-after-inactivity}, 2 s), to the same loopback server (plain HTTP, keep-alive, no idle timeout), used
 * in turn, so both see the same load. Each round sends, on each pool, a {@code POST} (1 KiB body) after the
 * connection idled {@code --pause-ms} (60) — checked with {@code check=on} — and a {@code POST} right after it (never
 * checked: idle less than 50 ms), and a {@code GET} after the pause (never checked either way: it may be retried).
 * Prints the median and 90th percentile of each, in microseconds, for {@code --rounds} (300) rounds.
 *
 * <pre>
 * benchmarks/run.sh --check-cost [--rounds=300 --pause-ms=60]
 * </pre>
 */
public final class CheckCost {

    private CheckCost() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> options = new TreeMap<>(Map.of("rounds", "300", "pause-ms", "60", "warmup", "200"));
        Args.forEach(argv, (name, value) -> {
            if (options.replace(name, value) == null) {
                throw Args.unknown(name);
            }
        });
        int rounds = Integer.parseInt(options.get("rounds"));
        int pause = Integer.parseInt(options.get("pause-ms"));
        int warmup = Integer.parseInt(options.get("warmup"));
        byte[] body = new byte[1024];
        Arrays.fill(body, (byte) 'p');
        String[] shapes = {"POST after pause", "POST back to back", "GET after pause"};
        long[][][] nanos = new long[2][shapes.length][rounds];
        try (IdleTimeoutPosts.ClosingServer server = new IdleTimeoutPosts.ClosingServer(0);
                HotPool on = new HotPool(HotPoolConfig.builder().name("check-on").build());
                HotPool off = new HotPool(HotPoolConfig.builder().name("check-off")
                        .validateNonRetryableAfterInactivity(Duration.ofSeconds(2)).build())) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/orders");
            HotPool[] pools = {on, off};
            for (HotPool pool : pools) {
                for (int i = 0; i < warmup; i++) {
                    send(pool, uri, body, true); // JIT warm-up, back to back.
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int p = 0; p < 2; p++) {
                    HotPool pool = pools[(p + r) % 2]; // Alternate which pool goes first.
                    int k = (p + r) % 2;
                    Thread.sleep(pause);
                    nanos[k][0][r] = send(pool, uri, body, true);
                    nanos[k][1][r] = send(pool, uri, body, true);
                    Thread.sleep(pause);
                    nanos[k][2][r] = send(pool, uri, body, false);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d rounds, pause %d ms; microseconds per request, median / 90th percentile%n",
                rounds, pause);
        for (int s = 0; s < shapes.length; s++) {
            System.out.printf(Locale.ROOT, "%-18s check=on %7.0f / %7.0f   check=off %7.0f / %7.0f   on - off "
                    + "(medians) %+6.0f%n", shapes[s], pct(nanos[0][s], 50), pct(nanos[0][s], 90), pct(nanos[1][s], 50),
                    pct(nanos[1][s], 90), pct(nanos[0][s], 50) - pct(nanos[1][s], 50));
        }
    }

    private static long send(HotPool pool, URI uri, byte[] body, boolean post) throws Exception {
        long start = System.nanoTime();
        HotRequest request = post ? HotRequest.builder("POST", uri).body(body).build() : HotRequest.get(uri);
        try (HotResponse response = pool.execute(request)) {
            response.body().readAllBytes();
        }
        return System.nanoTime() - start;
    }

    private static double pct(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1000.0;
    }
}
