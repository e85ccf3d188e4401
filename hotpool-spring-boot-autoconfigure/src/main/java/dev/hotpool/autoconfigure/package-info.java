/**
 * Spring Boot auto-configuration of hotpool: the {@code hotpool.*} properties, the pool bean and the request
 * factory builder that puts {@code RestClient} and {@code RestTemplate} on it. It wires; it does not pool.
 */
package dev.hotpool.autoconfigure;
