package dev.hotpool.internal.http;

import dev.hotpool.HotRequest;
import dev.hotpool.HotResponse;
import dev.hotpool.RedirectPolicy;

import java.net.URI;
import java.util.Locale;

/** Which redirects are followed, and where to ({@link RedirectPolicy#FOLLOW}). Stateless. */
final class Redirects {

    private Redirects() {
    }

    /**
     * The request a redirect asks for, or {@code null} when the response is the answer. As HttpClient 5 follows:
     * 303 turns every method but HEAD into a GET without a body; 301 and 302 turn POST into a GET without a body and
     * keep other methods; 307 and 308 keep the method. A request that keeps its body is followed only when the body
     * can be sent again. Never from {@code https} to {@code http}; at most {@code max-redirects}. Credentials and
     * cookies set by the caller do not travel to another origin ({@link HotRequest#redirectTo}).
     */
    static HotRequest next(HotRequest request, HotResponse response, int followed, int maxRedirects) {
        int s = response.status();
        if (request.redirects() != RedirectPolicy.FOLLOW || followed >= maxRedirects
                || !(s == 301 || s == 302 || s == 303 || s == 307 || s == 308)) {
            return null;
        }
        String method = request.method();
        boolean toGet = (s == 303 && !method.equals("HEAD")) || ((s == 301 || s == 302) && method.equals("POST"));
        if (!toGet && request.body() != null && !request.body().repeatable()) {
            return null; // The body cannot be sent again: the caller gets the redirect.
        }
        URI target = redirectTarget(request, response);
        if (target == null) {
            return null;
        }
        return toGet ? request.redirectTo(target, "GET", true /* no body */)
                : request.redirectTo(target, method, request.body() == null);
    }

    /** Where the redirect points, or {@code null} when it cannot be followed. */
    private static URI redirectTarget(HotRequest request, HotResponse response) {
        String location = response.header("Location");
        if (location == null) {
            return null;
        }
        URI target;
        try {
            target = request.uri().resolve(location.trim());
        }
        catch (IllegalArgumentException e) {
            return null; // An unparseable Location is the caller's to see.
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (target.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return null;
        }
        if (request.origin().secure() && scheme.equals("http")) {
            return null; // Never from https to http.
        }
        return target;
    }
}
