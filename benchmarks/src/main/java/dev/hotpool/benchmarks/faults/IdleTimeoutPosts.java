package dev.hotpool.benchmarks.faults;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPool;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.benchmarks.load.Args;

/**
 * The fault of the issue, on demand (not run by {@code verify}): a server that closes every kept-alive connection
 * idle for {@code --server-idle-ms} (1000), and one caller sending {@code --requests} (120) {@code POST}s without an
 * {@code Idempotency-Key}, pausing a uniformly random {@code --min-pause-ms} to {@code --max-pause-ms} (900 to 1100)
 * between them (seed {@code --seed}, 1). Prints how many failed, and why.
 *
 * <p>{@code --check=on} (the default): hotpool's defaults, {@code validate-non-retryable-after-inactivity} 50 ms.
 * {@code --check=off}: that property set to {@code validate-after-inactivity} (2 s), which makes a POST lease
 * exactly as every request did before the property existed.
 *
 * <pre>
 * benchmarks/run.sh --idle-timeout-posts [--check=off] [--requests=120 ...]
 * </pre>
 */
public final class IdleTimeoutPosts {

    private IdleTimeoutPosts() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> options = new TreeMap<>(Map.of("check", "on", "requests", "120", "server-idle-ms", "1000",
                "min-pause-ms", "900", "max-pause-ms", "1100", "seed", "1"));
        Args.forEach(argv, (name, value) -> {
            if (options.replace(name, value) == null) {
                throw Args.unknown(name);
            }
        });
        boolean check = !options.get("check").equals("off");
        int requests = Integer.parseInt(options.get("requests"));
        int serverIdle = Integer.parseInt(options.get("server-idle-ms"));
        int minPause = Integer.parseInt(options.get("min-pause-ms"));
        int maxPause = Integer.parseInt(options.get("max-pause-ms"));
        Random random = new Random(Long.parseLong(options.get("seed")));
        HotPoolConfig.Builder config = HotPoolConfig.builder().name("idle-timeout-posts");
        if (!check) {
            config.validateNonRetryableAfterInactivity(config.build().validateAfterInactivity());
        }
        byte[] body = "{\"order\":42}".getBytes(StandardCharsets.UTF_8);
        Map<String, Integer> failures = new TreeMap<>();
        int failed = 0;
        long started = System.nanoTime();
        try (ClosingServer server = new ClosingServer(serverIdle); HotPool pool = new HotPool(config.build())) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/orders");
            for (int i = 0; i < requests; i++) {
                int pause = 0;
                if (i > 0) {
                    pause = minPause + random.nextInt(maxPause - minPause + 1);
                    Thread.sleep(pause);
                }
                long sent = System.nanoTime();
                try (HotResponse response = pool.execute(HotRequest.builder("POST", uri)
                        .header("Content-Type", "application/json").body(body).build())) {
                    response.body().readAllBytes();
                    if (response.status() != 200) {
                        failures.merge("status " + response.status(), 1, Integer::sum);
                        failed++;
                    }
                }
                catch (IOException e) {
                    failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    failed++;
                    System.out.printf(Locale.ROOT, "request %d, after a pause of %d ms: the server closed the "
                            + "connection %.3f ms after execute() began: %s%n", i + 1, pause,
                            (server.lastIdleClose - sent) / 1e6, e);
                }
            }
            System.out.printf(Locale.ROOT, "check=%s: %d of %d POSTs failed %s; server: %d connections accepted, "
                    + "%d requests served, %d idle connections closed at its %d ms timeout; pool: %d connections "
                    + "found closed before a request (STALE); %.0f s%n", check ? "on" : "off", failed, requests,
                    failures, server.accepted.get(), server.served.get(), server.idleClosed.get(), serverIdle,
                    pool.stats().closed().get(CloseReason.STALE), (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * Plain HTTP/1.1 on 127.0.0.1, a thread per connection: answers each request {@code 200} (keep-alive) and closes
     * a connection on which no request began within the idle timeout, as nginx's {@code keepalive_timeout} does.
     */
    static final class ClosingServer implements AutoCloseable {

        private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                + "\r\nok").getBytes(StandardCharsets.ISO_8859_1);

        private final ServerSocket server = new ServerSocket();
        private final int idleMillis;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger idleClosed = new AtomicInteger();
        /** System.nanoTime() of the last close at the idle timeout. */
        volatile long lastIdleClose;

        ClosingServer(int idleMillis) throws IOException {
            this.idleMillis = idleMillis;
            this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(this::accept, "closing-server-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return this.server.getLocalPort();
        }

        private void accept() {
            while (true) {
                try {
                    Socket s = this.server.accept();
                    this.accepted.incrementAndGet();
                    Thread t = new Thread(() -> serve(s), "closing-server-conn");
                    t.setDaemon(true);
                    t.start();
                }
                catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    s.setSoTimeout(this.idleMillis);
                    int first;
                    try {
                        first = in.read();
                    }
                    catch (SocketTimeoutException idle) {
                        this.idleClosed.incrementAndGet();
                        s.close();
                        this.lastIdleClose = System.nanoTime();
                        return;
                    }
                    if (first < 0) {
                        return;
                    }
                    s.setSoTimeout(10_000);
                    int length = readHead(in, first);
                    in.readNBytes(length);
                    this.served.incrementAndGet();
                    out.write(RESPONSE);
                    out.flush();
                }
            }
            catch (IOException e) {
                // The client went away.
            }
        }

        /** Reads a request head whose first byte was read; returns its Content-Length (0 without one). */
        private static int readHead(InputStream in, int first) throws IOException {
            StringBuilder line = new StringBuilder().append((char) first);
            int length = 0;
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String l = line.toString().trim();
                    if (l.isEmpty()) {
                        return length;
                    }
                    if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(l.substring(15).trim());
                    }
                    line.setLength(0);
                }
                else {
                    line.append((char) c);
                }
            }
            throw new IOException("connection closed in the request head");
        }

        @Override
        public void close() throws IOException {
            this.server.close();
        }
    }
}
