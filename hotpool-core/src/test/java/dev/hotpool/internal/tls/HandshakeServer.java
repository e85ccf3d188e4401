package dev.hotpool.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A loopback server for handshake tests: a SunJSSE {@link SSLServerSocket} that handshakes every connection and
 * records what it saw (protocol, SNI, failure), or a plain socket that misbehaves (never answers, hangs up).
 * Accepted connections stay open until {@link #close()}. Thread-safe; one daemon thread accepts and handshakes.
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

    private final ServerSocket serverSocket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    private HandshakeServer(ServerSocket serverSocket, Consumer<Socket> perConnection) {
        this.serverSocket = serverSocket;
        this.acceptor = new Thread(() -> acceptLoop(perConnection), "handshake-server-" + serverSocket.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A TLS server over {@code socket} (already configured: protocols, suites, client auth). */
    static HandshakeServer tls(SSLServerSocket socket) {
        HandshakeServer[] self = new HandshakeServer[1];
        HandshakeServer server = new HandshakeServer(socket, (s) -> self[0].handshake((SSLSocket) s));
        self[0] = server;
        return server;
    }

    /** A plain server on 127.0.0.1 that misbehaves as asked. */
    static HandshakeServer plain(Misbehaviour misbehaviour) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new HandshakeServer(socket, (s) -> misbehave(s, misbehaviour));
    }

    int port() {
        return this.serverSocket.getLocalPort();
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
    public void close() throws IOException {
        this.serverSocket.close();
        for (Socket s : this.accepted) {
            s.close();
        }
        try {
            this.acceptor.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop(Consumer<Socket> perConnection) {
        while (!this.serverSocket.isClosed()) {
            try {
                Socket s = this.serverSocket.accept();
                this.accepted.add(s);
                s.setSoTimeout(10_000);
                Thread t = new Thread(() -> perConnection.accept(s), "handshake-server-connection");
                t.setDaemon(true);
                t.start();
            }
            catch (IOException ex) {
                return;
            }
        }
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

    private static void misbehave(Socket socket, Misbehaviour misbehaviour) {
        try (socket) {
            InputStream in = socket.getInputStream();
            if (misbehaviour == Misbehaviour.HANG_UP) {
                byte[] header = in.readNBytes(5);
                if (header.length == 5) {
                    in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
                }
                return;
            }
            socket.setSoTimeout(0);
            while (in.read() >= 0) {
                // Swallow the client hello and wait for the client to give up.
            }
        }
        catch (IOException ex) {
            // The client went away or close() closed the socket: either ends the connection.
        }
    }
}
