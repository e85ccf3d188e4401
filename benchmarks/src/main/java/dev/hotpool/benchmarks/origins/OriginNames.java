package dev.hotpool.benchmarks.origins;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * A set of host names, {@code <prefix><i>.many.test} for i in 0..count-1, and the resolver both clients use for them:
 * exactly these names resolve, all to 127.0.0.1, and any other name fails as an unknown host. So no request can
 * leave loopback or reach a DNS server, and a wrong name shows up as a counted failure.
 *
 * <p>Thread-safe: immutable.
 *
 * @param prefix {@code o} for the measured names, {@code w} for the warm-up's
 * @param count how many names there are
 */
record OriginNames(String prefix, int count) {

    static final String DOMAIN = ".many.test";

    /** One shared answer with no host name attached, so resolving allocates nothing the heap readings could count. */
    private static final List<InetAddress> LOOPBACK = List.of(loopback());

    OriginNames {
        if (count <= 0) {
            throw new IllegalArgumentException("benchmark: need at least one origin, got " + count);
        }
    }

    String host(long i) {
        return this.prefix + i + DOMAIN;
    }

    /** {@code scheme://<prefix><i>.many.test:port/path}. */
    URI uri(String scheme, int port, String path, long i) {
        return URI.create(scheme + "://" + host(i) + ":" + port + path);
    }

    /** 127.0.0.1 for one of these names; an {@link UnknownHostException} for anything else. */
    List<InetAddress> resolve(String host) throws UnknownHostException {
        if (indexOf(host) < 0) {
            throw new UnknownHostException("benchmark: " + host + " is not one of " + this);
        }
        return LOOPBACK;
    }

    /** The i of {@code <prefix><i>.many.test} when it names one of these hosts, else -1. */
    int indexOf(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (!h.startsWith(this.prefix) || !h.endsWith(DOMAIN)) {
            return -1;
        }
        String digits = h.substring(this.prefix.length(), h.length() - DOMAIN.length());
        // Digits only, no leading zero (so o01 is not o1), and short enough not to overflow.
        if (digits.isEmpty() || digits.length() > 9 || (digits.length() > 1 && digits.charAt(0) == '0')
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int i = Integer.parseInt(digits);
        return i < this.count ? i : -1;
    }

    @Override
    public String toString() {
        return this.prefix + "0.." + this.prefix + (this.count - 1) + DOMAIN;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 });
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException(e); // Only thrown for an address of the wrong length.
        }
    }
}
