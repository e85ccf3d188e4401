package dev.hotpool.internal.http;

import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.Header;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotRequest;
import dev.hotpool.Origin;
import dev.hotpool.internal.http2.Http2Connection;
import dev.hotpool.internal.http2.Http2Stream;
import dev.hotpool.internal.pool.Connection;
import dev.hotpool.internal.pool.ConnectionProbe;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health check's probe request ({@code hotpool.health-check.probe-path}, a host's own first) on idle and newly
 * warmed connections: the whole answer is read, and 2xx or 3xx on a connection that stays reusable keeps it. A host
 * with no probe path gets the liveness read. Built before the engine, which it needs nothing of.
 *
 * <p>Thread-safe: per-connection state lives in each connection's {@link Http1Codec}.
 */
public final class Http1Probe implements ConnectionProbe {

    private static final Logger log = LoggerFactory.getLogger(Http1Probe.class);

    private final HotPoolConfig config;
    private final Http1Wire wire;

    public Http1Probe(HotPoolConfig config) {
        this.config = config;
        this.wire = new Http1Wire(config);
    }

    /**
     * Sends the health-check probe request on an idle connection and reads the whole answer: 2xx or 3xx on a
     * connection that stays reusable keeps it. Never used on a leased connection.
     */
    @Override
    public ConnectionProbe.Outcome check(Connection connection) {
        Origin origin = connection.origin();
        EffectiveHostSettings host = this.config.hostSettings(origin.host());
        String path = host.probePath(); // The host's own, else the pool's.
        if (path == null) {
            return ConnectionProbe.LIVENESS.check(connection);
        }
        HotRequest request = HotRequest.builder(this.config.healthCheckProbeMethod(), URI.create(origin + path))
                .header("User-Agent", "hotpool-health-check")
                .build();
        if (connection.multiplex() != null) {
            return checkStream(request, (Http2Connection) connection.multiplex());
        }
        Http1Codec codec = this.wire.codec(connection);
        connection.beginExchange();
        long received = codec.in.received();
        try {
            connection.soTimeout(Http1Wire.millis(this.config.healthCheckTimeout()));
            boolean saidClose = this.wire.writeRequest(request, codec, connection, null, false);
            ResponseHead head = this.wire.readHead(request, codec, connection, true);
            Framing framing = this.wire.framing(request, head, codec, saidClose);
            long left = this.config.drainLimit();
            byte[] scratch = new byte[4096];
            int n;
            while (!framing.empty() && (n = framing.stream().read(scratch)) >= 0) {
                left -= n;
                if (left < 0) {
                    return ConnectionProbe.Outcome.UNHEALTHY; // A probe answer should be small.
                }
            }
            connection.soTimeout(Http1Wire.millis(host.readTimeout()));
            int code = head.code();
            boolean good = code >= 200 && code < 400;
            if (!good && log.isDebugEnabled()) {
                log.debug("hotpool: probe {} answered {}", request, code);
            }
            return good && framing.reusable() && codec.in.endsCleanly()
                    ? ConnectionProbe.Outcome.HEALTHY : ConnectionProbe.Outcome.UNHEALTHY;
        }
        catch (IOException | RuntimeException e) {
            boolean lost = Http1Wire.connectionLoss(e) && codec.in.received() == received;
            return lost ? ConnectionProbe.Outcome.DEAD : ConnectionProbe.Outcome.UNHEALTHY;
        }
    }

    /**
     * The probe on an HTTP/2 connection: a PING first (a connection that does not answer it is dead), then the probe
     * request on a stream of its own, whose whole answer is read within the health check's timeout.
     */
    private ConnectionProbe.Outcome checkStream(HotRequest request, Http2Connection session) {
        if (!session.accepting() || !session.ping()) {
            return ConnectionProbe.Outcome.DEAD;
        }
        int timeout = Http1Wire.millis(this.config.healthCheckTimeout());
        Http2Stream stream = null;
        try {
            stream = session.newStream(List.of(new Header(":method", request.method()),
                    new Header(":authority", request.origin().hostHeader()),
                    new Header(":scheme", request.origin().scheme()), new Header(":path", request.target()),
                    new Header("user-agent", "hotpool-health-check")), true, request.method().equals("HEAD"));
            int code = stream.awaitHead(timeout).status();
            long left = this.config.drainLimit();
            byte[] scratch = new byte[4096];
            int n;
            while ((n = stream.read(scratch, 0, scratch.length, timeout)) >= 0) {
                left -= n;
                if (left < 0) {
                    return ConnectionProbe.Outcome.UNHEALTHY; // A probe answer should be small.
                }
            }
            boolean good = code >= 200 && code < 400;
            if (!good && log.isDebugEnabled()) {
                log.debug("hotpool: probe {} answered {}", request, code);
            }
            return good ? ConnectionProbe.Outcome.HEALTHY : ConnectionProbe.Outcome.UNHEALTHY;
        }
        catch (IOException | RuntimeException e) {
            return session.accepting() ? ConnectionProbe.Outcome.UNHEALTHY : ConnectionProbe.Outcome.DEAD;
        }
        finally {
            if (stream != null && !stream.complete()) {
                stream.cancel();
            }
        }
    }
}
