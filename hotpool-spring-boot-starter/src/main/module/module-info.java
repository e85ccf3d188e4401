/**
 * hotpool's Spring Boot starter: no code of its own, it brings the core, the auto-configuration and what they need at
 * run time (BouncyCastle's TLS, Micrometer, Spring Boot's RestClient support).
 */
module dev.hotpool.starter {
    requires transitive dev.hotpool.autoconfigure;
    requires transitive dev.hotpool.core;
}
