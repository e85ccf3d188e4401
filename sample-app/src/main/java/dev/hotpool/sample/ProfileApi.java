package dev.hotpool.sample;

import java.util.Map;

import org.springframework.web.service.annotation.GetExchange;

/**
 * The upstream's profile as an HTTP interface: Boot makes its client for the {@code upstream} group
 * ({@code spring.http.serviceclient.upstream.*} in {@code application.yml}), and it runs on hotpool like any
 * {@code RestClient}. Nothing here knows about hotpool.
 */
interface ProfileApi {

    @GetExchange("/api/profile")
    Map<String, Object> profile();
}
