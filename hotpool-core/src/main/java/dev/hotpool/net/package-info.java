/**
 * Where connections may go, as users configure it: {@code AccessPolicy} ({@code hotpool.access.*}),
 * {@code AddressFilter}, {@code Resolver} (host name to addresses), {@code LocalAddressPool}
 * ({@code hotpool.local-addresses}) and {@code OutlierSettings} ({@code hotpool.outlier.*}). Public API. Depends only
 * on the leaf helpers of {@code dev.hotpool.internal.util} (patterns, ranges, private networks) and on
 * {@code dev.hotpool.internal.net} for an address list's {@code toString}; anything may depend on it.
 */
package dev.hotpool.net;
