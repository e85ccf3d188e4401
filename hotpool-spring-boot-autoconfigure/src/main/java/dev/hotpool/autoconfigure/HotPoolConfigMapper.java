package dev.hotpool.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import dev.hotpool.HostSettings;
import dev.hotpool.HotPoolConfig;
import dev.hotpool.Http2Settings;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;
import dev.hotpool.ProxySettings;
import dev.hotpool.metrics.PoolListener;
import dev.hotpool.net.AccessPolicy;
import dev.hotpool.net.LocalAddressPool;
import dev.hotpool.net.OutlierSettings;
import dev.hotpool.tls.TlsSettings;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Maps {@link HotPoolProperties} onto a {@link HotPoolConfig}: the one place where properties become pool
 * settings. Validation is the core's ({@link HotPoolConfig.Builder#build()}), whose messages name the
 * properties ({@code hotpool.max-conns-per-host (50) must not exceed hotpool.max-connections (20)}).
 * Stateless and thread-safe.
 */
final class HotPoolConfigMapper {

    private HotPoolConfigMapper() {
    }

    /**
     * Builds the pool's settings.
     *
     * @param properties the bound properties
     * @param tls the pool's default TLS settings (from {@code hotpool.tls.bundle}, else the JDK's defaults)
     * @throws IllegalArgumentException naming the offending property and its value
     */
    static HotPoolConfig map(HotPoolProperties properties, TlsSettings tls) {
        return map(properties, tls, PoolListener.NONE);
    }

    /**
     * Builds the pool's settings with a listener of its events (the Micrometer meters of
     * {@code hotpool.metrics.*}, and any {@link PoolListener} bean of the application), which must be in the
     * settings before the pool is built.
     *
     * @param properties the bound properties
     * @param tls the pool's default TLS settings (from {@code hotpool.tls.bundle}, else the JDK's defaults)
     * @param listener the pool's listener, {@link PoolListener#NONE} for none
     * @throws IllegalArgumentException naming the offending property and its value
     */
    static HotPoolConfig map(HotPoolProperties properties, TlsSettings tls, PoolListener listener) {
        HotPoolConfig.Builder builder = HotPoolConfig.builder();
        builder.listener(listener);
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getMaxConnections).to(builder::maxConnections);
        map.from(properties::getMaxConnsPerHost).to(builder::maxConnsPerHost);
        map.from(properties::getMaxIdleConns).to(builder::maxIdleConns);
        // Durations go through even when null (an empty value), so the core rejects them by name.
        map.from(properties::getConnectTimeout).always().to(builder::connectTimeout);
        map.from(properties::getReadTimeout).always().to(builder::readTimeout);
        map.from(properties::getAcquireTimeout).always().to(builder::acquireTimeout);
        map.from(properties::getMaxPendingAcquires).to(builder::maxPendingAcquires);
        map.from(properties::getIdleTimeout).always().to(builder::idleTimeout);
        map.from(properties::getMaxLifetime).always().to(builder::maxLifetime);
        map.from(properties::getValidateAfterInactivity).always().to(builder::validateAfterInactivity);
        map.from(properties::getValidateNonRetryableAfterInactivity).always()
                .to(builder::validateNonRetryableAfterInactivity);
        map.from(properties::getHealthCheckInterval).always().to(builder::healthCheckInterval);
        map.from(properties::getMaxResponseLineLength).to(builder::maxResponseLineLength);
        map.from(properties::getMaxResponseHeaderCount).to(builder::maxResponseHeaderCount);
        map.from(properties::getMaxResponseHeadSize).to(builder::maxResponseHeadSize);
        map.from(properties::getDrainLimit).always().as(HotPoolConfigMapper::drainLimitBytes).to(builder::drainLimit);
        map.from(properties::getDrainTimeout).always().to(builder::drainTimeout);
        map.from(properties::getMaxRedirects).to(builder::maxRedirects);
        map.from(properties::getLeakDetectionThreshold).always().to(builder::leakDetectionThreshold);
        map.from(properties::getShutdownTimeout).always().to(builder::shutdownTimeout);
        map.from(properties::getCallTimeout).always().to(builder::callTimeout);
        map.from(properties::getMaxRequestsPerConnection).to(builder::maxRequestsPerConnection);
        map.from(properties.getConnect()::getFallbackDelay).always().to(builder::fallbackDelay);
        HotPoolProperties.Tcp tcp = properties.getTcp();
        map.from(tcp::isKeepAlive).to(builder::tcpKeepAlive);
        map.from(tcp::getKeepAliveIdle).always().to(builder::tcpKeepAliveIdle);
        map.from(tcp::getKeepAliveInterval).always().to(builder::tcpKeepAliveInterval);
        map.from(tcp::getKeepAliveCount).to(builder::tcpKeepAliveCount);
        HotPoolProperties.HealthCheck healthCheck = properties.getHealthCheck();
        map.from(healthCheck::getProbePath).whenHasText().to(builder::healthCheckProbePath);
        map.from(healthCheck::getProbeMethod).always().to(builder::healthCheckProbeMethod);
        map.from(healthCheck::getTimeout).always().to(builder::healthCheckTimeout);
        HotPoolProperties.Warmup warmup = properties.getWarmup();
        builder.warmupHosts(origins(warmup.getHosts()));
        map.from(warmup::getMinIdlePerHost).to(builder::warmupMinIdlePerHost);
        map.from(warmup::getMaxConcurrent).to(builder::warmupMaxConcurrent);
        HotPoolProperties.Retry retry = properties.getRetry();
        map.from(retry::isEnabled).to(builder::retryEnabled);
        map.from(retry::getMaxRetries).to(builder::maxRetries);
        map.from(properties.getCompression()::isEnabled).to(builder::compression);
        builder.staticAddresses(properties.getAddresses());
        builder.localAddresses(LocalAddressPool.of(properties.getLocalAddresses()));
        map.from(properties.getDns()::getRefreshInterval).always().to(builder::dnsRefreshInterval);
        HotPoolProperties.Outlier outlier = properties.getOutlier();
        builder.outlier(new OutlierSettings(outlier.isEnabled(), outlier.getConsecutiveFailures(),
                new LinkedHashSet<>(outlier.getEjectOnStatus()), outlier.getBaseEjectionTime(),
                outlier.getMaxEjectionTime(), outlier.getMaxEjectionPercent()));
        HotPoolProperties.Access access = properties.getAccess();
        builder.accessPolicy(AccessPolicy.of(access.getAllow(), access.getDeny(), access.isBlockPrivateNetworks()));
        builder.tls(tls);
        builder.tlsProfiles(TlsProfilesMapper.map(properties.getTls()));
        properties.getHosts().forEach((pattern, host) -> builder.host(pattern, hostSettings(host)));
        builder.proxy(proxy(properties.getProxy()));
        builder.protocols(properties.getProtocols());
        builder.http2(http2(properties.getHttp2()));
        return builder.build();
    }

    /**
     * {@code hotpool.proxy.*}: off, the proxy of {@code url} with its credentials and non-proxy hosts, or (no
     * {@code url}) the JVM's proxy settings.
     *
     * @throws IllegalArgumentException naming the property: a bad URL, a password without a username, credentials
     *     or non-proxy hosts without a URL, a bad pattern
     */
    static ProxySettings proxy(HotPoolProperties.Proxy proxy) {
        if (!proxy.isEnabled()) {
            return ProxySettings.NONE;
        }
        String username = StringUtils.hasLength(proxy.getUsername()) ? proxy.getUsername() : null;
        String password = proxy.getPassword();
        if (!StringUtils.hasText(proxy.getUrl())) {
            String orphan = username != null ? "hotpool.proxy.username" : password != null ? "hotpool.proxy.password"
                    : !proxy.getNonProxyHosts().isEmpty() ? "hotpool.proxy.non-proxy-hosts" : null;
            if (orphan != null) {
                throw new IllegalArgumentException(orphan + " is set but hotpool.proxy.url is not (the JVM's proxy "
                        + "settings take neither credentials nor non-proxy hosts from hotpool.proxy.*)");
            }
            return ProxySettings.SYSTEM;
        }
        return ProxySettings.of(HttpProxy.parse(proxy.getUrl(), username, password), proxy.getNonProxyHosts());
    }

    /** One pattern of {@code hotpool.hosts}; what it leaves unset stays {@code null} (the pool's value). */
    private static HostSettings hostSettings(HotPoolProperties.Host host) {
        if (host == null) {
            return HostSettings.NONE;
        }
        String probePath = host.getHealthCheck().getProbePath();
        String profile = host.getTls().getProfile();
        return HostSettings.builder().maxConnections(host.getMaxConnections()).idleTimeout(host.getIdleTimeout())
                .maxLifetime(host.getMaxLifetime()).minIdle(host.getMinIdle())
                .tlsProfile(profile != null && !profile.isBlank() ? profile.trim() : null)
                .probePath(probePath != null && !probePath.isBlank() ? probePath : null)
                .readTimeout(host.getReadTimeout()).connectTimeout(host.getConnectTimeout())
                .protocols(host.getProtocols()).build();
    }

    /**
     * {@code hotpool.http2.*}; the core checks the values, naming the property. Only the sizes set explicitly are given
     * to the builder, so only those replace a TLS profile's HTTP/2 values ({@link Http2Settings#explicit()}).
     */
    private static Http2Settings http2(HotPoolProperties.Http2 http2) {
        java.util.Set<Http2Settings.Advertised> set = http2.explicitlySet();
        Http2Settings.Builder b = Http2Settings.builder().maxConcurrentStreams(http2.getMaxConcurrentStreams());
        if (set.contains(Http2Settings.Advertised.INITIAL_WINDOW_SIZE)) {
            b.initialWindowSize(bytes("http2.initial-window-size", http2.getInitialWindowSize()));
        }
        if (set.contains(Http2Settings.Advertised.CONNECTION_WINDOW_SIZE)) {
            b.connectionWindowSize(bytes("http2.connection-window-size", http2.getConnectionWindowSize()));
        }
        if (set.contains(Http2Settings.Advertised.MAX_FRAME_SIZE)) {
            b.maxFrameSize(bytes("http2.max-frame-size", http2.getMaxFrameSize()));
        }
        if (set.contains(Http2Settings.Advertised.MAX_HEADER_LIST_SIZE)) {
            b.maxHeaderListSize(bytes("http2.max-header-list-size", http2.getMaxHeaderListSize()));
        }
        if (set.contains(Http2Settings.Advertised.HEADER_TABLE_SIZE)) {
            b.headerTableSize(bytes("http2.header-table-size", http2.getHeaderTableSize()));
        }
        return b.build();
    }

    private static List<Origin> origins(List<String> hosts) {
        List<Origin> origins = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            try {
                origins.add(Origin.parse(host));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("hotpool.warmup.hosts[" + i + "] (" + host
                        + ") is not an origin such as https://api.example.com: " + ex.getMessage());
            }
        }
        return origins;
    }

    /** A size in bytes as an int; one past the int range fails naming the property, a negative one reaches the core. */
    private static int bytes(String property, DataSize size) {
        if (size == null) {
            throw new IllegalArgumentException("hotpool." + property + " must not be empty");
        }
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE || bytes < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("hotpool." + property + " (" + size + ") must be at most "
                    + Integer.MAX_VALUE + " bytes");
        }
        return (int) bytes;
    }

    private static int drainLimitBytes(DataSize size) {
        if (size == null) {
            throw new IllegalArgumentException("hotpool.drain-limit (null) must not be negative");
        }
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("hotpool.drain-limit (" + size + ") must be below " + Integer.MAX_VALUE
                    + " bytes");
        }
        // A negative size passes through as is: the core rejects it by name.
        return (int) bytes;
    }
}
