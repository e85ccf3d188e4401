package dev.hotpool.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /aggregate}: the aggregator's page of upstream data. {@code GET /profile}: one upstream call through an
 * HTTP interface. {@code GET /demo}: a cold call against hot calls.
 * The status page {@code /} is static ({@code static/index.html}) and reads {@code /actuator/hotpool}.
 */
@RestController
class SampleController {

    private final AggregatorService aggregator;

    private final PoolDemo demo;

    private final ProfileApi profiles;

    SampleController(AggregatorService aggregator, PoolDemo demo, ProfileApi profiles) {
        this.aggregator = aggregator;
        this.demo = demo;
        this.profiles = profiles;
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
