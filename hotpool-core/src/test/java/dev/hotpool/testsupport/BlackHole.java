package dev.hotpool.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * An address and port where a TCP connect hangs, as to a host that drops SYNs: a listener with a backlog of one that
 * never accepts, its queue filled first (on Linux, SYNs to a full accept queue are dropped). Closing it frees
 * everything.
 */
public final class BlackHole implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> filling = new ArrayList<>();

    private BlackHole(InetAddress address, int port) throws IOException {
        this.listener = new ServerSocket();
        this.listener.bind(new InetSocketAddress(address, port), 1);
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(this.listener.getLocalSocketAddress(), 300);
                this.filling.add(s);
            }
            catch (SocketTimeoutException e) {
                s.close();
                return; // Full: further connects hang.
            }
        }
        close();
        throw new IllegalStateException("the accept queue of " + address + " never filled");
    }

    /** A black hole on the address, on any free port. */
    public static BlackHole on(InetAddress address) throws IOException {
        return new BlackHole(address, 0);
    }

    /** A black hole on the address and a given port (e.g. the port of a real server on another address). */
    public static BlackHole on(InetAddress address, int port) throws IOException {
        return new BlackHole(address, port);
    }

    public int port() {
        return this.listener.getLocalPort();
    }

    @Override
    public void close() {
        for (Socket s : this.filling) {
            try {
                s.close();
            }
            catch (IOException ignored) {
                // Test teardown.
            }
        }
        try {
            this.listener.close();
        }
        catch (IOException ignored) {
            // Test teardown.
        }
    }
}
