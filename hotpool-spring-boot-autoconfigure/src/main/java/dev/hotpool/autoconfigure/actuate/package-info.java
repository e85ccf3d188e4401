/**
 * What the pool shows of itself through Spring Boot's actuator and Micrometer: the {@code hotpool} endpoint, the
 * {@code hotpool} health contributor and the pool's meters, each configured only when its library is present.
 */
package dev.hotpool.autoconfigure.actuate;
