package dev.hotpool.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Host name to addresses, e.g. from DNS ({@code HotPoolConfig.Builder.resolver}): the pool asks it for every address of
 * a host, caches the answer and refreshes it every {@code hotpool.dns.refresh-interval}. Must be thread-safe.
 */
@FunctionalInterface
public interface Resolver {

    /** All A and AAAA records through the JDK ({@link InetAddress#getAllByName}). */
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** Every address of the host, in the order connections should prefer; fails for a host with none. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
