package dev.hotpool.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells a newcomer where to look once the application is up. */
@Component
class StartupLog {

    private static final Log logger = LogFactory.getLog(StartupLog.class);

    private final UpstreamProperties upstream;

    StartupLog(UpstreamProperties upstream) {
        this.upstream = upstream;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        String app = "http://localhost:" + environment.getProperty("local.server.port", "8080");
        logger.info("hotpool sample is up; it calls " + this.upstream.getUrl()
                + (this.upstream.isEmbedded() ? " (its embedded upstream)" : ""));
        logger.info("  status page:  " + app + "/");
        logger.info("  cold vs hot:  " + app + "/demo");
        logger.info("  aggregator:   " + app + "/aggregate");
        logger.info("  pool:         " + app + "/actuator/hotpool");
        logger.info("  health:       " + app + "/actuator/health");
        logger.info("  metrics:      " + app + "/actuator/metrics/hotpool.connections");
    }
}
