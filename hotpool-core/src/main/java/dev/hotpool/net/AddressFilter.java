package dev.hotpool.net;

import java.net.InetAddress;

/**
 * Which resolved addresses a connection may go to, checked with {@code hotpool.access.*} (both must allow) before
 * anything is sent: on every address of a host before connecting, on warm-up and health-check connections, and
 * again on an idle connection before it is reused. In Spring Boot 4.1, the {@code InetAddressFilter} of a factory's
 * {@code HttpClientSettings} (or the application's {@code InetAddressFilter} bean) becomes one.
 *
 * <p>Implementations must be thread-safe, cheap and non-blocking (no DNS): they are asked on the connecting and
 * leasing threads. Connections are pooled per filter object, so reuse one object for one policy. Its
 * {@code toString()} names it in error messages.
 */
@FunctionalInterface
public interface AddressFilter {

    /** Allows every address. */
    AddressFilter ALL = new AddressFilter() {
        @Override
        public boolean allows(InetAddress address) {
            return true;
        }

        @Override
        public String toString() {
            return "all addresses";
        }
    };

    boolean allows(InetAddress address);
}
