package dev.hotpool.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.hotpool.HotPool;
import dev.hotpool.PoolStats;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * {@code /hello} answers a greeting; {@code /demo} calls this application's own {@code /hello} a few times over
 * the injected {@link RestClient} and shows the answers with the pool's counts. Thread-safe.
 */
@RestController
class DemoController {

    private static final int CALLS = 3;

    private final AtomicLong greetings = new AtomicLong();

    private final RestClient restClient;

    private final HotPool pool;

    DemoController(RestClient restClient, HotPool pool) {
        this.restClient = restClient;
        this.pool = pool;
    }

    @GetMapping("/hello")
    String hello() {
        return "hello from hotpool #" + this.greetings.incrementAndGet();
    }

    @GetMapping("/demo")
    Map<String, Object> demo(HttpServletRequest request) {
        // This application's own port on loopback: the sample never contacts another host.
        String hello = "http://localhost:" + request.getLocalPort() + "/hello";
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            answers.add(this.restClient.get().uri(hello).retrieve().body(String.class));
        }
        PoolStats stats = this.pool.stats();
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("connectionsCreated", stats.created());
        pool.put("leases", stats.leases());
        pool.put("reusedLeases", stats.reusedLeases());
        pool.put("idle", stats.idle());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("called", hello);
        result.put("answers", answers);
        result.put("pool", pool);
        return result;
    }
}
