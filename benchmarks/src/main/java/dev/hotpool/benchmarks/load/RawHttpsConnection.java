package dev.hotpool.benchmarks.load;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The ceiling: one kept-alive TLS socket that writes request bytes as given and reads the response head, then
 * the body by {@code Content-Length}. No pool, no retry, no chunked encoding, no validation beyond what the
 * benchmark's nginx sends; it reconnects when the server closed the connection before the next request, and
 * closes after a response that said {@code Connection: close} (the next request connects again; with the same
 * {@link SSLContext}, whose client session cache offers the session for resumption).
 *
 * <p>Not thread-safe: one per thread.
 */
final class RawHttpsConnection implements Closeable {

    /** Receives the response's header fields; only the thin factory wants them as strings. */
    interface HeaderSink {
        void header(String name, String value);
    }

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);

    private final SSLContext context;
    private final String host;
    private final int port;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private SSLSocket socket;
    private InputStream in;
    private OutputStream out;
    private long remaining;
    private long handshakes;
    /** The last response said {@code Connection: close}: the connection ends after its body. */
    private boolean closeAfter;

    RawHttpsConnection(SSLContext context, String host, int port) {
        this.context = context;
        this.host = host;
        this.port = port;
    }

    /** Connects and handshakes now (otherwise the first {@link #send} does). */
    void open() throws IOException {
        Socket raw = new Socket();
        raw.setTcpNoDelay(true);
        raw.connect(new InetSocketAddress(this.host, this.port), 5_000);
        SSLSocket ssl = (SSLSocket) this.context.getSocketFactory().createSocket(raw, this.host, this.port, true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setProtocols(new String[] { "TLSv1.3", "TLSv1.2" });
        ssl.setSSLParameters(p);
        ssl.setSoTimeout(30_000);
        ssl.startHandshake();
        this.socket = ssl;
        this.in = ssl.getInputStream();
        this.out = ssl.getOutputStream();
        this.pos = 0;
        this.lim = 0;
        this.remaining = 0;
        this.handshakes++;
    }

    /** Writes one request (head and body, already encoded) in one TLS record write. */
    void send(byte[] request) throws IOException {
        if (this.closeAfter) {
            close();
        }
        if (this.socket == null) {
            open();
        }
        if (this.remaining > 0) {
            skipBody();
        }
        this.out.write(request);
        this.out.flush();
    }

    /**
     * Reads the response head; returns the status code. The body's length is kept for {@link #readBody} and
     * {@link #skipBody}; a response without {@code Content-Length} is taken to have no body (204, HEAD).
     */
    int readHead(HeaderSink sink) throws IOException {
        int end;
        while ((end = headEnd(this.pos)) < 0) {
            fill(); // Heads are small: almost always one read, so rescanning from pos costs nothing.
        }
        int start = this.pos;
        // "HTTP/1.1 200 OK"
        int status = (this.buf[start + 9] - '0') * 100 + (this.buf[start + 10] - '0') * 10 + (this.buf[start + 11] - '0');
        long length = 0;
        int line = indexOfCrlf(start, end) + 2;
        while (line < end) {
            int eol = indexOfCrlf(line, end + 2);
            int colon = line;
            while (colon < eol && this.buf[colon] != ':') {
                colon++;
            }
            int value = colon + 1;
            while (value < eol && this.buf[value] == ' ') {
                value++;
            }
            if (colon - line == CONTENT_LENGTH.length && equalsIgnoreCase(line, CONTENT_LENGTH)) {
                length = 0;
                for (int i = value; i < eol; i++) {
                    length = length * 10 + (this.buf[i] - '0');
                }
            }
            else if (colon - line == CONNECTION.length && equalsIgnoreCase(line, CONNECTION) && eol - value == 5
                    && (this.buf[value] | 0x20) == 'c') {
                this.closeAfter = true; // "close"
            }
            if (sink != null) {
                sink.header(new String(this.buf, line, colon - line, StandardCharsets.ISO_8859_1),
                        new String(this.buf, value, eol - value, StandardCharsets.ISO_8859_1));
            }
            line = eol + 2;
        }
        this.pos = end + 4;
        this.remaining = length;
        return status;
    }

    /** Reads body bytes; -1 at the end of the body. */
    int readBody(byte[] b, int off, int len) throws IOException {
        if (this.remaining <= 0) {
            return -1;
        }
        if (this.pos == this.lim) {
            this.pos = 0;
            this.lim = 0;
            fill();
        }
        int n = (int) Math.min(Math.min(len, this.lim - this.pos), this.remaining);
        System.arraycopy(this.buf, this.pos, b, off, n);
        this.pos += n;
        this.remaining -= n;
        return n;
    }

    /** Consumes the rest of the body without copying it out; returns how many bytes that was. */
    long skipBody() throws IOException {
        long skipped = 0;
        while (this.remaining > 0) {
            if (this.pos == this.lim) {
                this.pos = 0;
                this.lim = 0;
                fill();
            }
            int n = (int) Math.min(this.lim - this.pos, this.remaining);
            this.pos += n;
            this.remaining -= n;
            skipped += n;
        }
        return skipped;
    }

    /** One full exchange for the raw loop: returns the body's length. Reconnects once if the server had closed. */
    long exchange(byte[] request) throws IOException {
        try {
            send(request);
            readHead(null);
        }
        catch (IOException e) {
            close();
            send(request);
            readHead(null);
        }
        long n = skipBody();
        if (this.closeAfter) {
            close();
        }
        return n;
    }

    long handshakes() {
        return this.handshakes;
    }

    @Override
    public void close() {
        if (this.socket != null) {
            try {
                this.socket.close();
            }
            catch (IOException ignored) {
                // Closing is all that was wanted.
            }
            this.socket = null;
        }
        this.closeAfter = false;
    }

    private void fill() throws IOException {
        if (this.lim == this.buf.length) {
            if (this.pos == 0) {
                throw new IOException("benchmark: response head larger than " + this.buf.length + " bytes");
            }
            System.arraycopy(this.buf, this.pos, this.buf, 0, this.lim - this.pos);
            this.lim -= this.pos;
            this.pos = 0;
        }
        int n = this.in.read(this.buf, this.lim, this.buf.length - this.lim);
        if (n < 0) {
            throw new EOFException("benchmark: the server closed the connection");
        }
        this.lim += n;
    }

    /** Index of the CRLFCRLF ending the head, searching from {@code from}; -1 when not yet buffered. */
    private int headEnd(int from) {
        for (int i = from; i + 3 < this.lim; i++) {
            if (this.buf[i] == '\r' && this.buf[i + 1] == '\n' && this.buf[i + 2] == '\r' && this.buf[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private int indexOfCrlf(int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (this.buf[i] == '\r' && this.buf[i + 1] == '\n') {
                return i;
            }
        }
        return to;
    }

    private boolean equalsIgnoreCase(int at, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            int c = this.buf[at + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
