package dev.hotpool.internal;

import dev.hotpool.EffectiveHostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.internal.http.Http1Client;
import dev.hotpool.internal.http.Http1Probe;
import dev.hotpool.internal.http2.Http2Multiplexing;
import dev.hotpool.internal.metrics.TrafficRecorder;
import dev.hotpool.internal.net.AddressBook;
import dev.hotpool.internal.net.OutlierDetector;
import dev.hotpool.internal.pool.ConnectionProbe;
import dev.hotpool.internal.pool.Connector;
import dev.hotpool.internal.pool.Engine;
import dev.hotpool.internal.pool.Multiplexing;
import dev.hotpool.internal.pool.SocketConnector;
import dev.hotpool.internal.tls.TlsConnector;
import dev.hotpool.internal.tls.TlsSetup;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfiles;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a pool from its parts, each after what it needs, so that nothing is handed a callback into something not yet
 * built: the TLS profiles as this JVM sends them (checked, or startup fails naming the property), the traffic recorder
 * and listener, the address book and outlier detector, the connector (addresses, access policy, TCP, TLS), the health
 * probe (which needs no engine), the engine, and the HTTP/1.1 client over the engine. {@code HotPool} is the façade
 * over what this returns; it is the one place the public API reaches into the internal packages.
 *
 * @param tls the TLS profiles in effect, with their fingerprints
 * @param fingerprints the fingerprint of every profile the pool's new connections use, by name, in configuration
 *     order: its ClientHello's, and the HTTP/2 fingerprint of its connections where they may speak HTTP/2
 */
public record PoolAssembly(HotPoolConfig config, TlsSetup.Verified tls, Engine engine, Http1Client client,
        Map<String, Fingerprint> fingerprints) {

    /**
     * Builds every part of a pool and starts the first warm-up.
     *
     * @throws IllegalArgumentException when a TLS profile asks for what the provider cannot send on this JVM, or SSL
     *     bundle options name what no profile in use offers; the message names the property and the value
     */
    public static PoolAssembly assemble(HotPoolConfig config) {
        Map<String, Set<List<String>>> alpnInUse = alpnInUse(config);
        TlsSetup.Verified tls = TlsSetup.verify(config.tlsProfiles(), hostProfiles(config), alpnInUse);
        TlsConnector tlsConnector = new TlsConnector(config.tlsProfiles().provider());
        tlsConnector.checkOptions(config.tls(), profilesInUse(tls, config));
        Parts parts = parts(config);
        Connector connector = new SocketConnector(config, tlsConnector, tls, parts.listener(), parts.addressBook(),
                parts.outliers());
        ConnectionProbe probe = probes(config) ? new Http1Probe(config) : ConnectionProbe.LIVENESS;
        Http2Multiplexing http2 = Http2Multiplexing.used(config) ? new Http2Multiplexing(config) : null;
        Engine engine = parts.engine(config, connector, probe, http2 != null ? http2 : Multiplexing.NONE);
        Http1Client client = new Http1Client(config, engine, engine.listener(), engine.outliers());
        engine.startWarmup();
        return new PoolAssembly(config, tls, engine, client, fingerprints(tls, alpnInUse, http2));
    }

    /**
     * The in-use fingerprints, each with the HTTP/2 fingerprint of its profile's connections (from the options they
     * send, {@link Http2Multiplexing#options(String)}) when some of them offer {@code h2} in ALPN.
     */
    private static Map<String, Fingerprint> fingerprints(TlsSetup.Verified tls,
            Map<String, Set<List<String>>> alpnInUse, Http2Multiplexing http2) {
        Map<String, Fingerprint> all = new LinkedHashMap<>();
        tls.inUseFingerprints().forEach((name, f) -> {
            boolean h2 = http2 != null && alpnInUse.getOrDefault(name, Set.of()).stream()
                .anyMatch((alpn) -> alpn.contains("h2"));
            all.put(name, f == null || !h2 ? f : f.withHttp2(http2.options(name).fingerprint()));
        });
        return Collections.unmodifiableMap(all);
    }

    /**
     * An engine over a given connector, with the liveness read as its probe: for tests of the protocol layer, whose
     * connections come from memory. Warm-up is not started.
     */
    public static Engine engine(HotPoolConfig config, Connector connector) {
        return parts(config).engine(config, connector, ConnectionProbe.LIVENESS, Multiplexing.NONE);
    }

    /** As {@link #engine(HotPoolConfig, Connector)}, with the protocol layer's {@code multiplexing} (HTTP/2 tests). */
    public static Engine engine(HotPoolConfig config, Connector connector, Multiplexing multiplexing) {
        return parts(config).engine(config, connector, ConnectionProbe.LIVENESS, multiplexing);
    }

    /** What the engine and the connector share, made first. */
    private record Parts(TrafficRecorder traffic, PoolListener listener, AddressBook addressBook,
            OutlierDetector outliers) {

        Engine engine(HotPoolConfig config, Connector connector, ConnectionProbe probe, Multiplexing multiplexing) {
            return new Engine(config, this.traffic, this.listener, this.addressBook, this.outliers, connector, probe,
                    multiplexing);
        }
    }

    private static Parts parts(HotPoolConfig config) {
        TrafficRecorder traffic = new TrafficRecorder(
                Math.max(TrafficRecorder.MIN_TRACKED_ORIGINS, config.maxConnections()), config.clock());
        PoolListener listener = PoolListener.both(traffic, config.listener());
        AddressBook addressBook = new AddressBook(config.staticAddresses(), config.resolver(),
                config.dnsRefreshInterval(), config.clock());
        OutlierDetector outliers = new OutlierDetector(config.outlier(), config.clock(),
                hostKey -> addressBook.cached(OutlierDetector.hostOf(hostKey)));
        return new Parts(traffic, listener, addressBook, outliers);
    }

    /** Whether any host gets probe requests: the pool's probe path, or a host's own. */
    private static boolean probes(HotPoolConfig config) {
        return config.healthCheckProbePath() != null
                || config.effectiveHostSettings().values().stream().anyMatch((h) -> h.probePath() != null);
    }

    /** The profiles the hosts name ({@code hotpool.hosts[<pattern>].tls.profile}). */
    private static Set<String> hostProfiles(HotPoolConfig config) {
        Set<String> names = new LinkedHashSet<>();
        for (EffectiveHostSettings host : config.effectiveHostSettings().values()) {
            if (host.tlsProfile() != null) {
                names.add(host.tlsProfile());
            }
        }
        return names;
    }

    /**
     * By profile name, the ALPN lists new connections with it offer (the pool's first, then the hosts' in configuration
     * order): so the fingerprints are those of the hellos really sent, {@code h2} included when the protocols have it.
     */
    public static Map<String, Set<List<String>>> alpnInUse(HotPoolConfig config) {
        Map<String, Set<List<String>>> lists = new LinkedHashMap<>();
        TlsProfiles declared = config.tlsProfiles();
        for (TlsProfile p : declared.inUse()) {
            lists.computeIfAbsent(p.name(), (k) -> new LinkedHashSet<>()).add(config.defaultHostSettings().alpn(p));
        }
        config.effectiveHostSettings().forEach((pattern, host) -> {
            List<TlsProfile> used = host.tlsProfile() != null ? List.of(declared.profile(host.tlsProfile()))
                    : declared.inUse();
            for (TlsProfile p : used) {
                lists.computeIfAbsent(p.name(), (k) -> new LinkedHashSet<>()).add(host.alpn(p));
            }
        });
        return lists;
    }

    /** The profiles new connections may use, as this JVM sends them: the pool's, and those the hosts name. */
    private static List<TlsProfile> profilesInUse(TlsSetup.Verified tls, HotPoolConfig config) {
        List<TlsProfile> profiles = new ArrayList<>();
        for (TlsProfile p : tls.declared().inUse()) {
            profiles.add(tls.effective(p));
        }
        for (String name : hostProfiles(config)) {
            TlsProfile p = tls.profiles().get(name);
            if (p != null && !profiles.contains(p)) {
                profiles.add(p);
            }
        }
        return profiles;
    }
}
