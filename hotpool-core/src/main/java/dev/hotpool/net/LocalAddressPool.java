package dev.hotpool.net;

import dev.hotpool.internal.util.IpLiterals;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local addresses outgoing connections are bound to, {@code hotpool.local-addresses}, taken in turn
 * among those of the target's family (IPv4 or IPv6).
 *
 * <p>Immutable configuration with a round-robin counter per family; thread-safe without locks.
 */
public final class LocalAddressPool {

    /** No local addresses: every connection lets the system choose. */
    public static final LocalAddressPool NONE = new LocalAddressPool(List.of());

    private final List<InetAddress> addresses;
    private final InetAddress[] v4;
    private final InetAddress[] v6;
    private final AtomicInteger nextV4 = new AtomicInteger();
    private final AtomicInteger nextV6 = new AtomicInteger();

    /** Without the bind check, for tests. */
    LocalAddressPool(List<InetAddress> addresses) {
        this.addresses = List.copyOf(addresses);
        this.v4 = addresses.stream().filter(a -> a instanceof Inet4Address).toArray(InetAddress[]::new);
        this.v6 = addresses.stream().filter(a -> !(a instanceof Inet4Address)).toArray(InetAddress[]::new);
    }

    /**
     * Validates the addresses by binding a socket to each (port 0, closed at once; nothing is sent).
     *
     * @param addresses IP literals; an address listed twice is taken twice as often
     * @return {@link #NONE} for an empty list
     * @throws IllegalArgumentException naming the index and the address, e.g.
     *     {@code hotpool.local-addresses[1] (10.9.9.9) cannot be bound on this machine: Cannot assign requested address}
     */
    public static LocalAddressPool of(List<String> addresses) {
        Objects.requireNonNull(addresses, "'addresses' must not be null");
        if (addresses.isEmpty()) {
            return NONE;
        }
        List<InetAddress> parsed = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            String text = addresses.get(i);
            InetAddress address = IpLiterals.parse((text != null) ? text.trim() : null);
            String property = "hotpool.local-addresses[" + i + "] (" + text + ")";
            if (address == null) {
                throw new IllegalArgumentException(property + " is not an IP address");
            }
            if (address.isAnyLocalAddress()) {
                throw new IllegalArgumentException(property
                        + " is the wildcard address; leave it out to let the system choose");
            }
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(address, 0));
            }
            catch (IOException ex) {
                throw new IllegalArgumentException(property + " cannot be bound on this machine: " + ex.getMessage(),
                        ex);
            }
            parsed.add(address);
        }
        return new LocalAddressPool(parsed);
    }

    /**
     * The local address to bind a connection to the target to: the next of the target's family in turn.
     *
     * @return the address, or {@code null} when none of that family is configured: bind nothing and let the
     *     system choose (as {@code Socket.bind(null)} would)
     */
    public InetAddress next(InetAddress target) {
        Objects.requireNonNull(target, "'target' must not be null");
        boolean ipv4 = target instanceof Inet4Address;
        InetAddress[] family = ipv4 ? this.v4 : this.v6;
        if (family.length == 0) {
            return null;
        }
        int turn = (ipv4 ? this.nextV4 : this.nextV6).getAndIncrement() & Integer.MAX_VALUE;
        return family[turn % family.length];
    }

    /** The configured addresses, in order. */
    public List<InetAddress> addresses() {
        return this.addresses;
    }

    @Override
    public String toString() {
        return "LocalAddressPool" + IpLiterals.describe(this.addresses);
    }
}
