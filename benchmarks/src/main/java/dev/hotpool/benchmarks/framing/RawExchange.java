package dev.hotpool.benchmarks.framing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request over a bare socket to a real server, its response captured byte for byte: the heads (interim ones
 * included) and the body as it came on the wire. The body's end is found the simplest way, from
 * {@code Transfer-Encoding: chunked}, {@code Content-Length}, the method and the status (or the connection's end);
 * then a second request on the same connection tells whether the server kept it open. Not a parser to rely on: it
 * is only as strict as a capture needs (hotpool's parser judges the bytes afterwards).
 *
 * <p>Thread-safe: stateless.
 */
final class RawExchange {

    /**
     * What came back.
     *
     * @param request the request bytes sent
     * @param heads the response heads as received, interim (1xx) ones first, each ending in its blank line
     * @param body the body bytes as received (chunk framing included)
     * @param status the final status code
     * @param framing how the body was delimited: {@code content-length N}, {@code chunked}, {@code none (HEAD)},
     *     {@code none (204)}, {@code none (304)} or {@code until close}
     * @param keptAlive whether the server answered a second request on the same connection
     * @param keepAliveNote what happened to that second request
     */
    record Response(byte[] request, byte[] heads, byte[] body, int status, String framing, boolean keptAlive,
            String keepAliveNote) {

        /** The last (final) head's field value, or {@code null}. */
        String header(String name) {
            String[] lines = new String(this.heads, StandardCharsets.ISO_8859_1).split("\r?\n");
            String value = null;
            for (String line : lines) {
                if (line.startsWith("HTTP/")) {
                    value = null; // A new head begins: only the final one counts.
                }
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    value = line.substring(colon + 1).trim();
                }
            }
            return value;
        }
    }

    private RawExchange() {
    }

    /** The request hotpool sends for {@code method path} (its default headers), plus {@code extra} header lines. */
    static byte[] request(String method, String path, int port, Map<String, String> extra) {
        StringBuilder r = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        extra.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
        r.append("Connection: keep-alive\r\n\r\n");
        return r.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static Response exchange(int port, String method, String path, Map<String, String> extra, String secondPath,
            int timeoutMillis) throws IOException {
        byte[] request = request(method, path, port, extra);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            out.write(request);
            out.flush();
            ByteArrayOutputStream heads = new ByteArrayOutputStream();
            byte[] head;
            int status;
            do {
                head = readHead(in);
                heads.write(head);
                status = Integer.parseInt(new String(head, 9, 3, StandardCharsets.ISO_8859_1));
            }
            while (status >= 100 && status < 200 && status != 101);
            Map<String, List<String>> fields = fields(head);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String framing;
            boolean untilClose = false;
            if (method.equals("HEAD")) {
                framing = "none (HEAD)";
            }
            else if (status == 204 || status == 304) {
                framing = "none (" + status + ")";
            }
            else if (fields.containsKey("transfer-encoding")
                    && String.join(",", fields.get("transfer-encoding")).toLowerCase(Locale.ROOT).contains("chunked")) {
                framing = "chunked";
                readChunked(in, body);
            }
            else if (fields.containsKey("content-length")) {
                int n = Integer.parseInt(fields.get("content-length").get(0).trim());
                framing = "content-length " + n;
                body.write(in.readNBytes(n));
                if (body.size() < n) {
                    throw new EOFException("raw capture: " + body.size() + " of " + n + " body bytes");
                }
            }
            else {
                framing = "until close";
                untilClose = true;
                in.transferTo(body);
            }
            boolean keptAlive = false;
            String note;
            if (untilClose) {
                note = "no: the body ran until the server closed";
            }
            else {
                try {
                    out.write(request("GET", secondPath, port, Map.of()));
                    out.flush();
                    byte[] second = readHead(in);
                    String start = new String(second, 0, Math.min(second.length, 15), StandardCharsets.ISO_8859_1);
                    keptAlive = start.startsWith("HTTP/1.");
                    note = keptAlive ? "yes: a second request on the connection was answered (" + start.trim() + ")"
                            : "no: a second request on the connection got bytes that are not a response: "
                                    + Corpus.escape(second, 0, Math.min(second.length, 40));
                }
                catch (EOFException e) {
                    note = "no: the server closed the connection after the response";
                }
                catch (SocketTimeoutException e) {
                    note = "no: the server did not answer a second request within " + timeoutMillis + " ms";
                }
                catch (IOException e) {
                    note = "no: the second request failed: " + e;
                }
            }
            return new Response(request, heads.toByteArray(), body.toByteArray(), status, framing, keptAlive, note);
        }
    }

    /** The bytes up to and including the blank line (CRLF CRLF, or a bare LF LF). */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        int newlines = 0;
        while ((c = in.read()) >= 0) {
            head.write(c);
            if (c == '\n') {
                if (++newlines == 2) {
                    return head.toByteArray();
                }
            }
            else if (c != '\r') {
                newlines = 0;
            }
            if (head.size() > 65536) {
                throw new IOException("raw capture: a head of more than 64 KiB");
            }
        }
        throw new EOFException("raw capture: the connection closed in a response head");
    }

    private static Map<String, List<String>> fields(byte[] head) {
        Map<String, List<String>> fields = new java.util.TreeMap<>();
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r?\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                fields.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
        }
        return fields;
    }

    /** Copies a chunked body as it is on the wire (sizes, data, trailers, the last blank line). */
    private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = line(in, body);
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!line(in, body).isEmpty()) {
                    // Trailer fields, copied.
                }
                return;
            }
            byte[] data = in.readNBytes((int) size);
            body.write(data);
            if (data.length < size) {
                throw new EOFException("raw capture: the connection closed in a chunk");
            }
            line(in, body);
        }
    }

    private static String line(InputStream in, ByteArrayOutputStream copy) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            copy.write(c);
            if (c == '\n') {
                return s.toString().trim();
            }
            s.append((char) c);
        }
        throw new EOFException("raw capture: the connection closed in a chunked body");
    }
}
