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
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfile.Http2Setting;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which connections speak HTTP/2, and their start: a TLS connection whose ALPN agreed {@code h2} (offered when the
 * host's protocols have it), and a cleartext connection to a host whose protocols name {@code h2c} (prior knowledge,
 * never through a proxy). Every other connection carries HTTP/1.1, one exchange at a time.
 *
 * <p>A TLS connection speaks HTTP/2 with the options of the TLS profile it was made with ({@link #options(String)}):
 * the profile's HTTP/2 fingerprint combined with {@code hotpool.http2.*} as {@link #options(HotPoolConfig, TlsProfile)}
 * says; an h2c connection, made with no profile, with the pool's own ({@link #options(HotPoolConfig)}).
 *
 * <p>Thread-safe: immutable.
 */
public final class Http2Multiplexing implements Multiplexing {

    private final HotPoolConfig config;
    /** hotpool's own, for h2c connections and those of a profile not known when the pool was made. */
    private final Http2Options options;
    /** By profile name, every profile of the configuration (built-in and configured): fixed once built. */
    private final Map<String, Http2Options> byProfile;

    public Http2Multiplexing(HotPoolConfig config) {
        this.config = config;
        this.options = options(config);
        Map<String, Http2Options> byProfile = new LinkedHashMap<>();
        for (TlsProfile p : config.tlsProfiles().profiles().values()) {
            byProfile.put(p.name(), options(config, p));
        }
        this.byProfile = Collections.unmodifiableMap(byProfile);
    }

    /** Whether any host's connections may speak HTTP/2: without one, the pool needs no multiplexing at all. */
    public static boolean used(HotPoolConfig config) {
        if (config.defaultHostSettings().http2() || config.defaultHostSettings().h2c()) {
            return true;
        }
        return config.effectiveHostSettings().values().stream().anyMatch((h) -> h.http2() || h.h2c());
    }

    /**
     * The options of connections made with this TLS profile (by name), or the pool's own for {@code null} (h2c) and
     * names the configuration does not have.
     */
    public Http2Options options(String profile) {
        Http2Options o = profile == null ? null : this.byProfile.get(profile);
        return o != null ? o : this.options;
    }

    /** hotpool's side of its HTTP/2 connections, from {@code hotpool.http2.*} and the health check's timeout. */
    static Http2Options options(HotPoolConfig config) {
        return Http2Options.own(config.http2(), pingTimeoutMillis(config));
    }

    /**
     * hotpool's side of the HTTP/2 connections made with {@code profile}. The profile decides what is sent; each
     * {@code hotpool.http2.*} size set explicitly ({@link Http2Settings#explicit()}) replaces it; hotpool then enforces
     * what was sent:
     * <ul>
     * <li>SETTINGS: the profile's list, in its order, with each explicit size's value in place of the profile's for
     * its identifier (or, when the profile does not send it, inserted before the first higher identifier); a profile
     * that sets no SETTINGS sends hotpool's own ({@link Http2Options#own}).</li>
     * <li>WINDOW_UPDATE: {@code hotpool.http2.connection-window-size} less 65,535 when it is explicit or the profile
     * sets none, else the profile's increment.</li>
     * <li>Pseudo-header order: the profile's.</li>
     * <li>Enforced: each limit as sent, else the protocol's initial value; the header-list limit, advisory in RFC 9113,
     * is {@code hotpool.http2.max-header-list-size} when not sent.</li>
     * </ul>
     * {@code hotpool.http2.max-concurrent-streams} is never sent and always applies.
     */
    static Http2Options options(HotPoolConfig config, TlsProfile profile) {
        Http2Settings s = config.http2();
        List<Setting> settings;
        if (profile.http2Settings().isEmpty()) {
            settings = Http2Options.ownSettings(s);
        }
        else {
            settings = new ArrayList<>(profile.http2Settings().size() + 2);
            for (Http2Setting p : profile.http2Settings()) {
                settings.add(new Setting(p.id(), p.value()));
            }
            if (s.isExplicit(Http2Settings.Advertised.HEADER_TABLE_SIZE)) {
                put(settings, Setting.HEADER_TABLE_SIZE, s.headerTableSize());
            }
            if (s.isExplicit(Http2Settings.Advertised.INITIAL_WINDOW_SIZE)) {
                put(settings, Setting.INITIAL_WINDOW_SIZE, s.initialWindowSize());
            }
            if (s.isExplicit(Http2Settings.Advertised.MAX_FRAME_SIZE)) {
                put(settings, Setting.MAX_FRAME_SIZE, s.maxFrameSize());
            }
            if (s.isExplicit(Http2Settings.Advertised.MAX_HEADER_LIST_SIZE)) {
                put(settings, Setting.MAX_HEADER_LIST_SIZE, s.maxHeaderListSize());
            }
        }
        int increment = s.isExplicit(Http2Settings.Advertised.CONNECTION_WINDOW_SIZE)
                || profile.http2WindowUpdate().isEmpty() ? Http2Options.ownIncrement(s)
                        : profile.http2WindowUpdate().getAsInt();
        return Http2Options.of(settings, increment, profile.http2PseudoHeaderOrder().replace(",", ""),
                s.maxHeaderListSize(), s.maxConcurrentStreams(), pingTimeoutMillis(config));
    }

    /** Sets {@code id} to {@code value} where the list has it, else before the first higher identifier. */
    private static void put(List<Setting> settings, int id, int value) {
        for (int i = 0; i < settings.size(); i++) {
            if (settings.get(i).id() == id) {
                settings.set(i, new Setting(id, value));
                return;
            }
        }
        int at = 0;
        while (at < settings.size() && settings.get(at).id() < id) {
            at++;
        }
        settings.add(at, new Setting(id, value));
    }

    private static int pingTimeoutMillis(HotPoolConfig config) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.healthCheckTimeout().toMillis()));
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
            return Http2Connection.open(origin, transport, options(origin.secure() ? transport.profile() : null),
                    events, timeoutMillis);
        }
        catch (HotPoolException e) {
            throw e;
        }
        catch (IOException e) { // A TLS alert, a reset: what the socket said, with the origin.
            throw new HotPoolException("hotpool: starting HTTP/2 with " + origin + " failed: " + e, e);
        }
    }
}
