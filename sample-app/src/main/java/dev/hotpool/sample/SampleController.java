package dev.hotpool.sample;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /aggregate}: the aggregator's page of upstream data. {@code GET /profile}: one upstream call through an
 * HTTP interface. {@code GET /demo}: a cold call against hot calls.
 * {@code GET /history}: the last five minutes of the pool, one sample a second ({@code ?after=<epoch millis>}: only
 * the newer ones). The status page {@code /} is static ({@code static/index.html}) and reads
 * {@code /actuator/hotpool} and {@code /history}.
 */
@RestController
class SampleController {

    private final AggregatorService aggregator;

    private final PoolDemo demo;

    private final ProfileApi profiles;

    private final PoolHistory history;

    SampleController(AggregatorService aggregator, PoolDemo demo, ProfileApi profiles, PoolHistory history) {
        this.aggregator = aggregator;
        this.demo = demo;
        this.profiles = profiles;
        this.history = history;
    }

    @GetMapping("/history")
    History history(@RequestParam(defaultValue = "0") long after) {
        return new History(PoolHistory.INTERVAL_MILLIS, PoolHistory.CAPACITY, this.history.after(after));
    }

    /** {@code GET /history}: {@code samples} oldest first, at most {@code capacity}. */
    record History(long intervalMillis, int capacity, List<PoolHistory.Sample> samples) {
    }

    @GetMapping("/profile")
    Map<String, Object> profile() {
        return this.profiles.profile();
    }

    @GetMapping("/aggregate")
    AggregatorService.Aggregate aggregate() {
        return this.aggregator.aggregate();
    }

    @GetMapping("/demo")
    PoolDemo.Report demo() {
        return this.demo.run();
    }
}
