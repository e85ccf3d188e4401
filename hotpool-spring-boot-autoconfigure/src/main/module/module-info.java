/**
 * hotpool's Spring Boot auto-configuration: the properties, the request factory Spring's {@code RestClient} and
 * {@code RestTemplate} use, the actuator endpoint and health indicator. It only wires; what it wires with that no user
 * calls lives in the non-exported {@code dev.hotpool.internal.spring}. Its packages are open to reflection, as
 * Spring's configuration classes need. Actuator and Micrometer are optional, as on the class path.
 */
module dev.hotpool.autoconfigure {
    requires transitive dev.hotpool.core;
    requires org.apache.commons.logging;
    requires org.bouncycastle.tls;
    requires static org.jspecify;
    requires org.slf4j;
    requires spring.beans;
    requires spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.boot.http.client;
    requires spring.context;
    requires spring.core;
    requires spring.web;
    requires static micrometer.core;
    requires static spring.boot.actuator;
    requires static spring.boot.actuator.autoconfigure;
    requires static spring.boot.health;

    exports dev.hotpool.autoconfigure;
    exports dev.hotpool.autoconfigure.actuate;
    exports dev.hotpool.spring;

    opens dev.hotpool.autoconfigure;
    opens dev.hotpool.autoconfigure.actuate;
    opens dev.hotpool.spring;
    opens dev.hotpool.internal.spring;
}
