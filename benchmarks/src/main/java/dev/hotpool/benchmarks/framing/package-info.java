/**
 * The framing comparison ({@code benchmarks/run.sh --framing}: hotpool's framing corpus through hotpool, HttpClient 5
 * and the JDK client) and the real-servers check ({@code --real-servers}: nginx, Tomcat, Jetty, Netty, Node, Python
 * and Go on loopback). Uses hotpool's API ({@code dev.hotpool}) and the harness's helpers in {@code .load}; nothing
 * depends on it.
 */
package dev.hotpool.benchmarks.framing;
