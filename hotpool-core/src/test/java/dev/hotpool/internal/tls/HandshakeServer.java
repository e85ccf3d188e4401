package dev.hotpool.internal.tls;

import dev.hotpool.testsupport.LoopbackServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A loopback server for handshake tests: a SunJSSE {@link SSLServerSocket} that handshakes every connection and
 * records what it saw (protocol, SNI, failure), or a plain socket that misbehaves (never answers, hangs up).
 * A connection stays open until the client closes it, or {@link #close()}. Thread-safe; one daemon thread accepts,
 * one per connection handshakes (a {@link LoopbackServer}).
 */
final class HandshakeServer implements AutoCloseable {

    /**
     * What the server saw of one handshake: the session, or the server-side failure.
     *
     * @param peer the client certificate's subject, or {@code null} when the client sent none
     * @param sessionId the session's ID as the server has it (equal across connections when a TLS 1.2 session was
     *     resumed)
     */
    record Handshake(String protocol, String cipherSuite, List<SNIServerName> requestedServerNames, String peer,
            byte[] sessionId, Exception failure) {
    }

    /** How a plain (non-TLS) server treats a connection. */
    enum Misbehaviour {

        /** Reads and discards what the client sends, never answers. */
        SILENT,

        /** Reads the client hello's record, then closes (cleanly: nothing is left unread to turn it into a reset). */
        HANG_UP
    }

    private final LoopbackServer server;
    private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();

    private HandshakeServer(ServerSocket serverSocket, Misbehaviour misbehaviour) {
        this.server = LoopbackServer.over(serverSocket);
        this.server.serve("handshake-server", (s) -> {
            s.setSoTimeout(10_000);
            if (misbehaviour == null) {
                handshake((SSLSocket) s);
            }
            else {
                misbehave(s, misbehaviour);
            }
        });
    }

    /** A TLS server over {@code socket} (already configured: protocols, suites, client auth). */
    static HandshakeServer tls(SSLServerSocket socket) {
        return new HandshakeServer(socket, null);
    }

    /** A plain server on 127.0.0.1 that misbehaves as asked. */
    static HandshakeServer plain(Misbehaviour misbehaviour) throws IOException {
        return new HandshakeServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), misbehaviour);
    }

    int port() {
        return this.server.port();
    }

    /** The next handshake the server finished or failed, waiting up to 10 s. */
    Handshake nextHandshake() throws InterruptedException {
        Handshake h = this.handshakes.poll(10, TimeUnit.SECONDS);
        if (h == null) {
            throw new AssertionError("the server saw no handshake within 10 s");
        }
        return h;
    }

    @Override
    public void close() {
        this.server.close();
    }

    private void handshake(SSLSocket socket) {
        try {
            socket.startHandshake();
            SSLSession session = socket.getSession();
            List<SNIServerName> names = session instanceof ExtendedSSLSession ext ? ext.getRequestedServerNames() : List.of();
            String peer;
            try {
                peer = session.getPeerPrincipal().getName();
            }
            catch (SSLPeerUnverifiedException ex) {
                peer = null;
            }
            this.handshakes.add(new Handshake(session.getProtocol(), session.getCipherSuite(), names, peer,
                    session.getId(), null));
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // Hold the connection until the client or close() ends it.
            }
        }
        catch (IOException ex) {
            this.handshakes.add(new Handshake(null, null, List.of(), null, null, ex));
        }
    }

    private static void misbehave(Socket socket, Misbehaviour misbehaviour) throws IOException {
        if (misbehaviour == Misbehaviour.HANG_UP) {
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(5);
            if (header.length == 5) {
                in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
            }
            return; // The server closes the connection.
        }
        socket.setSoTimeout(0);
        LoopbackServer.SILENT.serve(socket); // Swallows the client hello and waits for the client to give up.
    }
}
