package dev.hotpool;

import dev.hotpool.net.AddressFilter;

import java.net.InetAddress;

/**
 * A request's {@link AddressFilter} (or the pool's) refused every address of its host. Nothing was sent. The
 * message names the host, the address and the filter.
 */
public class FilteredAddressException extends AccessDeniedException {

    private static final long serialVersionUID = 1L;

    private final String host;

    private final transient InetAddress address;

    private final transient AddressFilter filter;

    public FilteredAddressException(String host, InetAddress address, AddressFilter filter) {
        super("hotpool: connecting to " + host + " at " + address.getHostAddress() + " is refused by the address "
                + "filter " + filter + "; nothing was sent");
        this.host = host;
        this.address = address;
        this.filter = filter;
    }

    /** The host whose addresses were refused. */
    public String host() {
        return this.host;
    }

    /** The first address refused. */
    public InetAddress address() {
        return this.address;
    }

    /** The filter that refused it. */
    public AddressFilter filter() {
        return this.filter;
    }
}
