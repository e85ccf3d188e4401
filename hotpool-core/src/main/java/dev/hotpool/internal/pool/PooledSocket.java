package dev.hotpool.internal.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The {@link Transport} of a real connection: the raw TCP socket and the socket requests go over (the TLS socket
 * layered on it, or the raw one for {@code http}). Knows nothing of HTTP.
 *
 * <p>Not thread-safe: used by one lease holder at a time, or by the pool while idle. {@link #close()} and
 * {@link #abort()} may be called from any thread and are idempotent.
 */
final class PooledSocket implements Transport {

    private final Socket raw;
    private final Socket socket;
    private final InetSocketAddress remote;
    private final InputStream in;
    private final OutputStream out;
    private final String protocol;
    private final String cipherSuite;
    private final String applicationProtocol;
    private final String profile;
    private int soTimeout;

    PooledSocket(Socket raw, Socket socket, InetSocketAddress remote, int soTimeout, String profile)
            throws IOException {
        this.raw = raw;
        this.socket = socket;
        this.remote = remote;
        this.profile = profile;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        if (socket instanceof SSLSocket ssl) {
            SSLSession session = ssl.getSession();
            this.protocol = session.getProtocol();
            this.cipherSuite = session.getCipherSuite();
            String agreed = ssl.getApplicationProtocol(); // null only before a handshake
            this.applicationProtocol = agreed == null ? "" : agreed;
        } else {
            this.protocol = "TCP";
            this.cipherSuite = null;
            this.applicationProtocol = "";
        }
        this.soTimeout = soTimeout;
        socket.setSoTimeout(soTimeout);
    }

    @Override
    public InputStream in() {
        return this.in;
    }

    @Override
    public OutputStream out() {
        return this.out;
    }

    @Override
    public InetSocketAddress remote() {
        return this.remote;
    }

    @Override
    public String protocol() {
        return this.protocol;
    }

    @Override
    public String applicationProtocol() {
        return this.applicationProtocol;
    }

    @Override
    public String profile() {
        return this.profile;
    }

    @Override
    public String cipherSuite() {
        return this.cipherSuite;
    }

    @Override
    public void soTimeout(int millis) throws IOException {
        if (millis != this.soTimeout) {
            this.socket.setSoTimeout(millis);
            this.soTimeout = millis;
        }
    }

    @Override
    public int soTimeout() {
        return this.soTimeout;
    }

    /**
     * A 1 ms read: a timeout means nothing arrived, so the connection is alive; end of stream, any byte (nothing is
     * expected while idle) or an error means it is not.
     */
    @Override
    public boolean isAlive() {
        if (this.socket.isClosed() || this.socket.isInputShutdown()) {
            return false;
        }
        int previous = this.soTimeout;
        try {
            this.socket.setSoTimeout(1);
            this.in.read(); // End of stream or an unexpected byte: either way not reusable.
            return false;
        }
        catch (SocketTimeoutException expected) {
            return true;
        }
        catch (IOException | RuntimeException e) {
            return false;
        }
        finally {
            try {
                this.socket.setSoTimeout(previous);
            }
            catch (IOException ignored) {
                // The socket is broken; the caller closes it.
            }
        }
    }

    /** Closes the connection: a TLS close_notify when it can be sent, then the raw socket in any case. */
    @Override
    public void close() {
        try {
            if (this.socket != this.raw) {
                this.socket.close();
            }
        }
        catch (IOException | RuntimeException ignored) {
            // Best effort: the raw socket is closed below.
        }
        finally {
            try {
                this.raw.close();
            }
            catch (IOException ignored) {
                // Nothing more can be done.
            }
        }
    }

    /** Closes the raw socket only: aborts a blocked read, write or handshake at once. */
    @Override
    public void abort() {
        try {
            this.raw.close();
        }
        catch (IOException ignored) {
            // Nothing more can be done.
        }
    }

    @Override
    public String toString() {
        return this.remote.getAddress().getHostAddress() + ":" + this.remote.getPort() + " " + this.protocol
                + (this.applicationProtocol.isEmpty() ? "" : " " + this.applicationProtocol);
    }
}
