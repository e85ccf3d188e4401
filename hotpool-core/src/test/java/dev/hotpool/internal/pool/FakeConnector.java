package dev.hotpool.internal.pool;

import dev.hotpool.ConnectException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connector without sockets, for the engine's own tests: every connect succeeds at once with a {@link FakeTransport}
 * to 127.0.0.1 at the origin's port, unless told to fail. It counts the address in the route's load, as a real
 * connector must. Thread-safe.
 */
final class FakeConnector implements Connector {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<FakeTransport> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToGo = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();

    /** The next {@code n} connects fail with a {@link ConnectException}. */
    void failNext(int n) {
        this.failuresToGo.set(n);
    }

    /** Every transport opened so far, in order. */
    List<FakeTransport> opened() {
        return this.opened;
    }

    FakeTransport last() {
        return this.opened.get(this.opened.size() - 1);
    }

    int attempts() {
        return this.attempts.get();
    }

    @Override
    public Transport connect(Route route, AddressLoad load, int connectTimeoutMillis, int readTimeoutMillis)
            throws IOException {
        this.attempts.incrementAndGet();
        if (this.failuresToGo.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ConnectException("hotpool: cannot connect to " + route.origin() + ": refused (fake)", null);
        }
        FakeTransport transport = new FakeTransport(new InetSocketAddress(LOOPBACK, route.origin().port()));
        load.add(LOOPBACK, 1);
        this.opened.add(transport);
        return transport;
    }
}
