/**
 * Leaf helpers: host patterns ({@code *.example.com}), access rules (patterns and CIDR ranges), IP literals and the
 * private networks of {@code hotpool.access.block-private-networks}. Not API. Depends on nothing but the JDK, and so
 * any package of {@code hotpool-core} may use it (the API's {@code AccessPolicy}, {@code LocalAddressPool} and
 * {@code ProxySettings} do, as does {@code internal.net}); nothing outside {@code hotpool-core} may.
 */
package dev.hotpool.internal.util;
