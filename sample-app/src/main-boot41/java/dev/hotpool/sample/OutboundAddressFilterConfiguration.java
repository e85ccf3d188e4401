package dev.hotpool.sample;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.http.client.InetAddressFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot 4.1's guard against server-side request forgery, on: every {@code RestClient} and {@code RestTemplate}
 * Boot builds, hotpool's included, refuses to connect to an address in {@code sample.outbound.deny} (CIDR ranges;
 * default: link-local, where cloud metadata services answer). hotpool checks every resolved address before
 * connecting, warm-up too, and a refused host raises Boot's {@code FilteredHostException}. Compiled only on the Boot
 * 4.1 line ({@code -Pboot41}: {@code src/main-boot41}).
 */
@Configuration(proxyBeanMethods = false)
class OutboundAddressFilterConfiguration {

    @Bean
    InetAddressFilter outboundAddressFilter(@Value("${sample.outbound.deny:169.254.0.0/16}") List<String> deny) {
        return InetAddressFilter.not(deny.toArray(String[]::new));
    }
}
