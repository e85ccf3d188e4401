/**
 * Per-host address state: {@code AddressBook} (fixed addresses, cached DNS answers and their refresh) and
 * {@code OutlierDetector} (ejection of misbehaving addresses). Not API. Depends on {@code dev.hotpool.net} and
 * {@code internal.util}; used by {@code internal.pool} and {@code internal.http}, by the assembly, and by
 * {@code dev.hotpool.net} for an address list's {@code toString}.
 */
package dev.hotpool.internal.net;
