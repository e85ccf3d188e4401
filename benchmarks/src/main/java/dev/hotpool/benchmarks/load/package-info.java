/**
 * The load harness ({@code LoadHarness}, run by {@code benchmarks/run.sh}): the same {@code RestClient} call through
 * hotpool's factory and its peers' (HttpComponents 5, the JDK client, Jetty, Reactor Netty, {@code Simple}), the thin
 * factory and raw socket ceilings, and the report (tables, chart, JFR summary). Uses hotpool through its API
 * ({@code dev.hotpool}, {@code .tls}) and {@code dev.hotpool.spring}; the other benchmark packages use its helpers
 * (arguments, TLS set-up, JSON, processes).
 */
package dev.hotpool.benchmarks.load;
