/**
 * Fault programs: {@code IdleTimeoutPosts} (a server closing connections idle 1 s, a caller sending POSTs just under
 * that) and {@code CheckCost} (what the check before non-retryable requests costs). Use hotpool's API
 * ({@code dev.hotpool}) and the harness's helpers in {@code .load}; nothing depends on them.
 */
package dev.hotpool.benchmarks.faults;
