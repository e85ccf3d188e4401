package dev.hotpool.internal.http;

import dev.hotpool.Header;
import dev.hotpool.HotRequest;

import java.io.IOException;
import java.net.CookieHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's cookie store ({@link HotRequest#cookies()}) on the wire: the {@code Cookie} value it has for the
 * request's URI, and the response's {@code Set-Cookie} headers handed back to it. Per exchange, so every hop of a
 * redirect takes and gives its own. Stateless.
 */
final class Cookies {

    private static final Logger log = LoggerFactory.getLogger(Cookies.class);

    private Cookies() {
    }

    /** The store's cookies for the request as one {@code Cookie} value, or {@code null} (no store, or none). */
    static String header(HotRequest request) throws IOException {
        CookieHandler store = request.cookies();
        if (store == null) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header h : request.headers()) {
            headers.computeIfAbsent(h.name(), n -> new ArrayList<>()).add(h.value());
        }
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : store.get(request.uri(), headers).entrySet()) {
            if (e.getKey().equalsIgnoreCase("Cookie")) {
                values.addAll(e.getValue());
            }
        }
        return values.isEmpty() ? null : String.join("; ", values);
    }

    /** Gives the response's {@code Set-Cookie} headers to the request's store, if it has one. */
    static void store(HotRequest request, ResponseHead head) {
        if (request.cookies() != null && head.has(ResponseHead.SET_COOKIE)) {
            store(request, head.fields());
        }
    }

    /** Gives the {@code Set-Cookie} fields among a response's fields to the request's store, if it has one. */
    static void store(HotRequest request, List<Header> fields) {
        CookieHandler store = request.cookies();
        if (store == null) {
            return;
        }
        List<String> cookies = new ArrayList<>();
        for (Header h : fields) {
            if (h.is("Set-Cookie")) {
                cookies.add(h.value());
            }
        }
        if (cookies.isEmpty()) {
            return;
        }
        try {
            store.put(request.uri(), Map.of("Set-Cookie", cookies));
        }
        catch (IOException | RuntimeException e) {
            log.debug("hotpool: the cookie store refused the cookies of a response from {}: {}", request.origin(),
                    e.toString());
        }
    }
}
