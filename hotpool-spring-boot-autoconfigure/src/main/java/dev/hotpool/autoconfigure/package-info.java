/**
 * Spring Boot auto-configuration of hotpool: the {@code hotpool.*} properties, the pool bean and the request
 * factory builder that puts {@code RestClient} and {@code RestTemplate} on it, the scheduled health check, the
 * failure analyzer and the runtime hints. It wires; it does not pool. Depends on {@code hotpool-core}'s API packages
 * and on {@code dev.hotpool.spring}, never on {@code dev.hotpool.internal}; {@code .actuate} depends on it (the
 * properties), and applications may use {@code HotPoolProperties}.
 */
package dev.hotpool.autoconfigure;
