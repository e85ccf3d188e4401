package dev.hotpool.internal.pool;

import dev.hotpool.HotPoolConfig;
import dev.hotpool.net.LocalAddressPool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the TCP socket of every new connection: its options ({@code TCP_NODELAY}; TCP keep-alive with its idle,
 * interval and count where the JDK has them on this platform), its local address ({@code hotpool.local-addresses}),
 * and a timed connect that never gives up before its deadline. {@link Dialer} races such sockets over a host's
 * addresses; a proxy's is connected here directly.
 *
 * <p>Thread-safe: its settings are fixed when it is made.
 */
final class TcpSockets {

    /** The dialer's log, as before the sockets had a class of their own. */
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    /** The options a plain socket has here (the same for every socket of this JDK and platform). */
    private static final Set<SocketOption<?>> SUPPORTED = supportedOptions();

    /** Whether the JDK's lack of a keep-alive option was logged: once per JVM. */
    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();

    private final boolean keepAlive;
    private final int keepAliveIdleSeconds;
    private final int keepAliveIntervalSeconds;
    private final int keepAliveCount;
    private final LocalAddressPool localAddresses;

    TcpSockets(HotPoolConfig config) {
        this.keepAlive = config.tcpKeepAlive();
        this.keepAliveIdleSeconds = (int) config.tcpKeepAliveIdle().getSeconds();
        this.keepAliveIntervalSeconds = (int) config.tcpKeepAliveInterval().getSeconds();
        this.keepAliveCount = config.tcpKeepAliveCount();
        this.localAddresses = config.localAddresses();
    }

    /**
     * A new socket with the options of every connection, bound to the local address chosen for {@code target} (if
     * any), not yet connected.
     */
    Socket open(InetAddress target) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(this.keepAlive);
            if (this.keepAlive) {
                setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPIDLE, this.keepAliveIdleSeconds);
                setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, this.keepAliveIntervalSeconds);
                setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, this.keepAliveCount);
            }
            InetAddress local = this.localAddresses.next(target);
            if (local != null) {
                socket.bind(new InetSocketAddress(local, 0));
            }
            return socket;
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * Connects a new socket to one address (a proxy's) by the deadline.
     *
     * @throws IOException when it did not connect by the deadline; the socket is closed
     */
    Socket connect(InetSocketAddress target, long deadlineNanos) throws IOException {
        Socket socket = open(target.getAddress());
        try {
            connect(socket, target, deadlineNanos);
            return socket;
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * Connects the socket by the deadline, with a timed connect given the time left plus a millisecond: a timed connect
     * can give up before its timeout (by up to half a millisecond, measured on Linux with Java 17 and 25), so a budget
     * of exactly the time left could fail before the deadline, and a caller whose own deadline this is (a call timeout)
     * would not see it had passed. With the extra millisecond a connect never times out before the deadline.
     *
     * @throws SocketTimeoutException when the deadline has passed already, or passes during the connect
     */
    static void connect(Socket socket, InetSocketAddress target, long deadlineNanos) throws IOException {
        int left = remainingMillis(deadlineNanos);
        if (left == 0) {
            throw new SocketTimeoutException("connect timed out");
        }
        socket.connect(target, (int) Math.min(Integer.MAX_VALUE, left + 1L));
    }

    /**
     * The milliseconds left until a deadline, rounded up, so that a wait given them ends at or after it; 0 once it has
     * passed. {@link SocketConnector} gives them to the TLS handshake and a proxy's answer.
     */
    static int remainingMillis(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        }
        catch (IOException ignored) {
            // Nothing more can be done.
        }
    }

    private static void setIfSupported(Socket socket, SocketOption<Integer> option, int value) throws IOException {
        if (SUPPORTED.contains(option)) {
            socket.setOption(option, value);
        }
        else if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
            log.info("hotpool: this JDK cannot set {} on this platform; TCP keep-alive uses the system's timing",
                    option.name());
        }
    }

    private static Set<SocketOption<?>> supportedOptions() {
        try (Socket s = new Socket()) {
            return s.supportedOptions();
        }
        catch (IOException e) {
            return Set.of();
        }
    }
}
