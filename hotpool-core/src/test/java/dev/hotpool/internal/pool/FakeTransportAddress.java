package dev.hotpool.internal.pool;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The address {@link FakeConnector} connects every origin of port 80 to. */
final class FakeTransportAddress {

    static final InetSocketAddress LOOPBACK_80 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);

    private FakeTransportAddress() {
    }
}
