/**
 * hotpool's HTTP/2 against real HTTP/2 servers ({@code benchmarks/run.sh --real-servers-h2}: nginx and nghttpd on
 * loopback). Uses hotpool's API ({@code dev.hotpool}) and the harness's helpers in {@code .load}; nothing depends on it.
 */
package dev.hotpool.benchmarks.http2;
