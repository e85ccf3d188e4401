package dev.hotpool.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Captures the ClientHello a configured socket really sends: it connects to a listener of its own on the loopback
 * address, layers TLS exactly as a pooled connection does (same factory call, same per-socket configuration),
 * starts the handshake with a 1 ms read timeout (the hello is written before the first read, so the handshake
 * gives up right after sending it), reads the hello's records on the listener's side and closes both ends. Nothing
 * leaves the machine and no server is involved.
 *
 * <p>Thread-safe (stateless); each capture takes a loopback connection and about a millisecond.
 */
final class ClientHelloCapture {

    private static final int TIMEOUT_MILLIS = 5_000;

    /** Port given to the socket factory: the session cache key of a context that is used only for captures. */
    private static final int PORT = 443;

    private ClientHelloCapture() {
    }

    /**
     * The ClientHello a socket of {@code context} sends to {@code host} once {@code configure} has set it up.
     *
     * @throws IOException when the loopback connection failed or no complete hello arrived
     */
    static ClientHello capture(SSLContext context, String host, Consumer<SSLSocket> configure) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback); Socket raw = new Socket()) {
            raw.connect(listener.getLocalSocketAddress(), TIMEOUT_MILLIS);
            try (Socket server = listener.accept()) {
                server.setSoTimeout(TIMEOUT_MILLIS);
                SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, host, PORT, true);
                configure.accept(ssl);
                ssl.setSoTimeout(1);
                try {
                    ssl.startHandshake();
                }
                catch (IOException expected) {
                    // No server answers: the handshake ends here, after its hello went out.
                }
                return ClientHello.parse(readHello(server.getInputStream()));
            }
        }
    }

    /** Reads records until they hold a whole ClientHello; never waits for bytes past it. */
    public static byte[] readHello(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        int length = 0;
        while (true) {
            int end = length >= 5 ? ClientHello.completeLength(buffer, length) : -1;
            if (end >= 0) {
                return Arrays.copyOf(buffer, end);
            }
            if (length == buffer.length) {
                if (buffer.length >= 1 << 20) {
                    throw new IOException("no complete ClientHello within " + buffer.length + " bytes");
                }
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new IOException("the client closed the connection after " + length + " bytes, before its"
                        + " ClientHello was complete");
            }
            length += n;
        }
    }
}
