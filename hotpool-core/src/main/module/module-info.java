/**
 * hotpool's core: the pool, its configuration and the types a user calls, configures or catches. Only the API
 * packages are exported; the engine and everything that makes connections live in {@code dev.hotpool.internal.*},
 * which no other module may read.
 */
module dev.hotpool.core {
    requires org.apache.httpcomponents.core5.httpcore5;
    requires java.logging;
    requires jdk.net;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.util;
    requires org.slf4j;
    requires static micrometer.core;

    exports dev.hotpool;
    exports dev.hotpool.metrics;
    exports dev.hotpool.metrics.micrometer;
    exports dev.hotpool.net;
    exports dev.hotpool.tls;
}
