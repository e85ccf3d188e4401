package dev.hotpool.benchmarks.framing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real server in a child process (nginx, Node, Python, Go): started from a command, ready when it prints
 * {@code LISTENING <port>} or when its fixed port accepts a connection. Its request log is either its output's
 * {@code REQ <client port> <method> <path>} lines or an nginx access log whose lines begin with
 * {@code $remote_port $connection $connection_requests $request_method $uri}; some servers keep none.
 *
 * <p>Thread-safe. {@link #close()} stops the process and its children (SIGTERM, then SIGKILL after 5 s).
 */
final class ProcessServer implements RealServer {

    /** Where the server's request log comes from. */
    enum LogSource {
        /** {@code REQ <client port> <method> <path>} lines on its output. */
        OUTPUT,
        /** An nginx access log in the format of {@code nginx.conf}. */
        NGINX_ACCESS_LOG,
        /** None: the server does not say which connection a request came on. */
        NONE
    }

    private final String name;
    private final String id;
    private final Process process;
    private final int port;
    private final List<Probe> probes;
    private final LogSource logSource;
    private final Path accessLog;
    private final List<Hit> outputHits = new CopyOnWriteArrayList<>();
    /** The last lines of the process's output, for an error message. */
    private final Deque<String> tail = new ConcurrentLinkedDeque<>();
    private volatile int announcedPort = -1;

    /**
     * Starts the command and waits until it serves.
     *
     * @param fixedPort the port the command was told to use, or -1 when it prints {@code LISTENING <port>}
     * @param accessLog for {@link LogSource#NGINX_ACCESS_LOG}, the log file; else {@code null}
     */
    ProcessServer(String name, String id, List<String> command, Path dir, int fixedPort, LogSource logSource,
            Path accessLog, List<Probe> probes) throws IOException, InterruptedException {
        this.name = name;
        this.id = id;
        this.probes = probes;
        this.logSource = logSource;
        this.accessLog = accessLog;
        this.process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> read(this.process.getInputStream()), "real-server-" + id + "-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && this.process.isAlive()) {
            if (fixedPort < 0 ? this.announcedPort > 0 : accepts(fixedPort)) {
                break;
            }
            Thread.sleep(50);
        }
        this.port = fixedPort < 0 ? this.announcedPort : fixedPort;
        if (!this.process.isAlive() || this.port < 0 || !accepts(this.port)) {
            close();
            throw new IOException("real servers: " + name + " (" + String.join(" ", command) + ") did not start; "
                    + "its last output: " + String.join(" / ", this.tail));
        }
    }

    /** A port that was free a moment ago on 127.0.0.1, for a server that must be told its port. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private void read(InputStream output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("LISTENING ")) {
                    this.announcedPort = Integer.parseInt(line.substring(10).trim());
                }
                else if (line.startsWith("REQ ")) {
                    String[] f = line.split(" ", 4);
                    this.outputHits.add(new Hit(Integer.parseInt(f[1]), f[2], f[3]));
                }
                else {
                    this.tail.addLast(line);
                    if (this.tail.size() > 20) {
                        this.tail.removeFirst();
                    }
                }
            }
        }
        catch (IOException e) {
            // The process ended.
        }
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public String id() {
        return this.id;
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public List<Probe> probes() {
        return this.probes;
    }

    @Override
    public List<Hit> hits() {
        switch (this.logSource) {
            case OUTPUT:
                return List.copyOf(this.outputHits);
            case NGINX_ACCESS_LOG:
                List<Hit> hits = new ArrayList<>();
                try {
                    if (Files.exists(this.accessLog)) {
                        for (String line : Files.readAllLines(this.accessLog, StandardCharsets.ISO_8859_1)) {
                            String[] f = line.split(" ");
                            hits.add(new Hit(Integer.parseInt(f[0]), f[3], f[4]));
                        }
                    }
                }
                catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return hits;
            default:
                return null;
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = this.process.descendants().toList();
        this.process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            this.process.destroyForcibly();
        }
    }
}
