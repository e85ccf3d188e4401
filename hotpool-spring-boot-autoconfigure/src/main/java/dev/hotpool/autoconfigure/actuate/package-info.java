/**
 * What the pool shows of itself through Spring Boot's actuator and Micrometer: the {@code hotpool} endpoint, the
 * {@code hotpool} health contributor and the pool's meters, each configured only when its library is present.
 * Depends on {@code hotpool-core}'s API packages (the meters through {@code dev.hotpool.metrics.micrometer}) and on
 * {@code dev.hotpool.autoconfigure} for the properties, never on {@code dev.hotpool.internal}; nothing in hotpool
 * depends on it.
 */
package dev.hotpool.autoconfigure.actuate;
