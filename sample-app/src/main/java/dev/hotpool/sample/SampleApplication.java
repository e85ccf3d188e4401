package dev.hotpool.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * A Spring Boot application that uses the hotpool starter the way a user would: it only injects
 * {@code RestClient.Builder}; the starter puts every request on hotpool's kept-alive connections.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** The application's HTTP client, built from the builder Spring Boot injects (which runs on hotpool). */
    @Bean
    RestClient restClient(RestClient.Builder builder) {
        return builder.build();
    }
}
