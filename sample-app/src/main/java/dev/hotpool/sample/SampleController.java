package dev.hotpool.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /aggregate}: the aggregator's page of upstream data. {@code GET /demo}: a cold call against hot calls.
 * The status page {@code /} is static ({@code static/index.html}) and reads {@code /actuator/hotpool}.
 */
@RestController
class SampleController {

    private final AggregatorService aggregator;

    private final PoolDemo demo;

    SampleController(AggregatorService aggregator, PoolDemo demo) {
        this.aggregator = aggregator;
        this.demo = demo;
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
