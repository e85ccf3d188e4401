package dev.hotpool.internal.http2;

import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.HotPoolException;
import dev.hotpool.Http2Settings;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.internal.pool.Multiplex;
import dev.hotpool.internal.pool.Multiplexing;
import dev.hotpool.internal.pool.Transport;

import java.io.IOException;

/**
 * Which connections speak HTTP/2, and their start: a TLS connection whose ALPN agreed {@code h2} (offered when the
 * host's protocols have it), and a cleartext connection to a host whose protocols name {@code h2c} (prior knowledge,
 * never through a proxy). Every other connection carries HTTP/1.1, one exchange at a time.
 *
 * <p>Thread-safe: immutable.
 */
public final class Http2Multiplexing implements Multiplexing {

    private final HotPoolConfig config;
    private final Http2Options options;

    public Http2Multiplexing(HotPoolConfig config) {
        this.config = config;
        this.options = options(config);
    }

    /** Whether any host's connections may speak HTTP/2: without one, the pool needs no multiplexing at all. */
    public static boolean used(HotPoolConfig config) {
        if (config.defaultHostSettings().http2() || config.defaultHostSettings().h2c()) {
            return true;
        }
        return config.effectiveHostSettings().values().stream().anyMatch((h) -> h.http2() || h.h2c());
    }

    /** hotpool's side of its HTTP/2 connections, from {@code hotpool.http2.*} and the health check's timeout. */
    static Http2Options options(HotPoolConfig config) {
        Http2Settings s = config.http2();
        return new Http2Options(s.headerTableSize(), s.initialWindowSize(), s.connectionWindowSize(),
                s.maxFrameSize(), s.maxHeaderListSize(), s.maxConcurrentStreams(),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.healthCheckTimeout().toMillis())), "masp");
    }

    @Override
    public boolean offered(Origin origin, HttpProxy proxy) {
        EffectiveHostSettings host = this.config.hostSettings(origin.host());
        return origin.secure() ? host.http2() : host.h2c() && proxy == null;
    }

    @Override
    public Multiplex open(Origin origin, Transport transport, Multiplex.Events events, int timeoutMillis)
            throws IOException {
        boolean h2 = origin.secure() ? "h2".equals(transport.applicationProtocol())
                : this.config.hostSettings(origin.host()).h2c();
        if (!h2) {
            return null;
        }
        try {
            return Http2Connection.open(origin, transport, this.options, events, timeoutMillis);
        }
        catch (HotPoolException e) {
            throw e;
        }
        catch (IOException e) { // A TLS alert, a reset: what the socket said, with the origin.
            throw new HotPoolException("hotpool: starting HTTP/2 with " + origin + " failed: " + e, e);
        }
    }
}
