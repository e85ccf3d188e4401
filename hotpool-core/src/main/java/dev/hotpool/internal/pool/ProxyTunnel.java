package dev.hotpool.internal.pool;

import dev.hotpool.ConnectException;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxyException;
import dev.hotpool.internal.net.AddressBook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The HTTP proxy's part of opening a connection: where to dial (the proxy's address), and for {@code https} origins
 * the {@code CONNECT} that turns the TCP connection to the proxy into a tunnel to the origin, on which the caller then
 * layers TLS as without a proxy. Writes {@code CONNECT host:port} with {@code Host} and, when the proxy has
 * credentials, a preemptive {@code Proxy-Authorization: Basic}; reads the proxy's response head one byte at a time
 * (nothing past it: the next bytes are the origin's), bounded in size and by the connect budget; maps a non-2xx
 * status to a {@link ProxyException}. Knows nothing of pooling; speaks only the CONNECT exchange of HTTP.
 *
 * <p>Thread-safe: it holds no state of its own.
 */
final class ProxyTunnel {

    /** Longest CONNECT response head read; proxies answer with a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private final AddressBook addressBook;

    ProxyTunnel(AddressBook addressBook) {
        this.addressBook = addressBook;
    }

    /**
     * The address to dial for the proxy: its first address (the name goes through the address book, so static
     * addresses and the DNS cache apply). The proxy's address is not checked by the access policy or the address
     * filters: those apply to the origin.
     */
    InetSocketAddress address(HttpProxy proxy, Origin origin) throws ConnectException {
        try {
            List<InetAddress> addresses = this.addressBook.addresses(proxy.host());
            return new InetSocketAddress(addresses.get(0), proxy.port());
        }
        catch (UnknownHostException | IndexOutOfBoundsException e) {
            throw new ProxyException("hotpool: cannot resolve the proxy " + proxy + " for " + origin + ": "
                    + e.getMessage(), proxy.authority(), -1, e);
        }
    }

    /** The exception for a TCP connection to the proxy that failed. */
    static ProxyException unreachable(HttpProxy proxy, InetSocketAddress dialed, Origin origin, IOException e) {
        return new ProxyException("hotpool: cannot connect to the proxy " + proxy + " ("
                + dialed.getAddress().getHostAddress() + ") for " + origin + ": " + e.getMessage(),
                proxy.authority(), -1, e);
    }

    /**
     * Asks the proxy for a tunnel to the origin over {@code raw}, a fresh TCP connection to it; on return the tunnel
     * is open and the next bytes on {@code raw} are the origin's. On failure closes {@code raw}.
     *
     * @param budgetMillis the time left of the connect timeout
     * @throws ProxyException when the proxy refused ({@code 407}, {@code 403}, {@code 502}, …), closed the
     *     connection, answered something that is not HTTP, or did not answer in time
     */
    void connect(Socket raw, HttpProxy proxy, Origin origin, int budgetMillis) throws IOException {
        try {
            raw.setSoTimeout(Math.max(1, budgetMillis));
            String authority = origin.authority();
            StringBuilder head = new StringBuilder(128).append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(authority).append("\r\n");
            if (proxy.hasCredentials()) {
                head.append("Proxy-Authorization: ").append(proxy.proxyAuthorization()).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = raw.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = readHead(raw.getInputStream(), proxy, origin);
            int status = status(statusLine);
            if (status < 0) {
                throw new ProxyException("hotpool: the proxy " + proxy + " answered CONNECT " + authority
                        + " with something that is not HTTP: '" + printable(statusLine) + "'", proxy.authority(), -1,
                        null);
            }
            if (status / 100 != 2) {
                throw refused(proxy, origin, status, statusLine);
            }
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            if (e instanceof ProxyException) {
                throw e;
            }
            if (e instanceof SocketTimeoutException) {
                throw new ProxyException("hotpool: the proxy " + proxy + " did not answer CONNECT " + origin.authority()
                        + " within " + budgetMillis + " ms (connect timeout)", proxy.authority(), -1, e);
            }
            throw new ProxyException("hotpool: CONNECT " + origin.authority() + " through the proxy " + proxy
                    + " failed: " + e.getMessage(), proxy.authority(), -1, e);
        }
    }

    private static ProxyException refused(HttpProxy proxy, Origin origin, int status, String statusLine) {
        String reason = statusLine.length() > 13 ? statusLine.substring(13).trim() : "";
        String answer = status + (reason.isEmpty() ? "" : " " + printable(reason));
        String hint;
        if (status == 407) {
            hint = proxy.hasCredentials()
                    ? "; it did not accept the credentials of hotpool.proxy.username"
                    : "; it requires authentication: set hotpool.proxy.username and hotpool.proxy.password";
        }
        else {
            hint = "";
        }
        return new ProxyException("hotpool: the proxy " + proxy + " refused CONNECT " + origin.authority() + " ("
                + answer + ")" + hint + "; not retried", proxy.authority(), status, null);
    }

    /** Reads the response head up to its blank line; returns its status line. */
    private static String readHead(InputStream in, HttpProxy proxy, Origin origin) throws IOException {
        byte[] buffer = new byte[256];
        int length = 0;
        int lineStart = 0;
        int statusLineEnd = -1;
        while (true) { // Up to the blank line that ends the head (CRLF, or a bare LF as lenient parsers allow).
            int b = in.read();
            if (b < 0) {
                throw new ProxyException("hotpool: the proxy " + proxy + " closed the connection "
                        + (length == 0 ? "without answering" : "in the middle of its answer to") + " CONNECT "
                        + origin.authority(), proxy.authority(), -1, null);
            }
            if (length == MAX_HEAD_BYTES) {
                throw new ProxyException("hotpool: the proxy " + proxy + " answered CONNECT " + origin.authority()
                        + " with a head of more than " + MAX_HEAD_BYTES + " bytes", proxy.authority(), -1, null);
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(MAX_HEAD_BYTES, buffer.length * 2));
            }
            buffer[length++] = (byte) b;
            if (b != '\n') {
                continue;
            }
            boolean blank = length - lineStart == 1 || (length - lineStart == 2 && buffer[lineStart] == '\r');
            if (blank && statusLineEnd >= 0) {
                break;
            }
            if (!blank && statusLineEnd < 0) {
                statusLineEnd = length;
            }
            lineStart = length; // A blank line before the status line is skipped, as RFC 9112 §2.2 allows.
        }
        int start = 0;
        while (buffer[start] == '\r' || buffer[start] == '\n') {
            start++;
        }
        return new String(buffer, start, statusLineEnd - start, StandardCharsets.ISO_8859_1).trim();
    }

    /** The status code of {@code HTTP/1.x NNN reason}, or {@code -1}. */
    private static int status(String line) {
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' ') {
            return -1;
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + (c - '0');
        }
        return (line.length() == 12 || line.charAt(12) == ' ') && code >= 100 ? code : -1;
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        }
        catch (IOException ignored) {
            // Nothing more can be done.
        }
    }
}
