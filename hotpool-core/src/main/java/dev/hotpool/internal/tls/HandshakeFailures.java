package dev.hotpool.internal.tls;

import dev.hotpool.Origin;
import dev.hotpool.tls.TlsSettings;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * Turns what BCJSSE throws from a failed handshake into a reason in words, by walking the cause chain. The
 * wording is API: {@link dev.hotpool.TlsHandshakeException}'s message ends with it and tests assert it.
 *
 * <p>Thread-safe (stateless).
 */
final class HandshakeFailures {

    static final String HOST_MISMATCH = "certificate does not match the host name ";
    static final String NOT_TRUSTED = "certificate not trusted";
    static final String EXPIRED = "certificate expired";
    static final String NOT_YET_VALID = "certificate not yet valid";
    static final String NOTHING_IN_COMMON = "no protocol or cipher suite in common";
    static final String CLIENT_CERTIFICATE_REQUIRED = "server requires a client certificate";
    static final String CLOSED_BY_SERVER = "connection closed by the server during the handshake";
    static final String CLIENT_CERTIFICATE_REJECTED = "server rejected the client certificate";
    static final String NO_APPLICATION_PROTOCOL = "no application protocol in common: the server speaks none of those"
            + " offered in ALPN";

    private static final String SUN_RECEIVED_ALERT = "Received fatal alert: ";

    /**
     * SunJSSE from Java 25 on starts the message of an exception that carries an alert with the alert's name in
     * brackets: {@code (handshake_failure) Received fatal alert: handshake_failure}. Java 17 writes the message
     * alone.
     */
    private static final Pattern SUN_ALERT_PREFIX = Pattern.compile("^\\([a-z_0-9]+\\) ");

    private HandshakeFailures() {
    }

    static String timedOut(int budgetMillis) {
        return "timed out after " + budgetMillis + " ms";
    }

    /** The reason when the settings' trust or key store could not be loaded into an {@code SSLContext}. */
    static String unusableSettings(TlsSettings settings, Throwable failure) {
        return "cannot use " + (settings == TlsSettings.defaults() ? "the JDK's default trust store"
                : "TLS settings '" + settings.name() + "'") + " (" + detail(failure) + ")";
    }

    /** Whether a certificate was rejected for its host name (BC's and the JDK's hostname checkers' words). */
    static boolean isHostMismatch(Throwable t) {
        String message = t.getMessage();
        return message != null && (message.contains("No subject alternative") || message.contains("No name matching"));
    }

    /**
     * The reason in words for a handshake that failed with {@code failure}.
     *
     * @param certificateRequest what the server asked of a client certificate, or {@code null} when it did not
     */
    static String reason(Throwable failure, Origin origin, TlsSettings settings, int budgetMillis,
            ClientKeyChooser.Request certificateRequest) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            if (t instanceof SocketTimeoutException) {
                return timedOut(budgetMillis);
            }
        }
        // Our own verdicts on the server's certificate come first: the alert we then sent closed the handshake.
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException) {
                return EXPIRED + " (" + detail(t) + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return NOT_YET_VALID + " (" + detail(t) + ")";
            }
            if (isHostMismatch(t)) {
                return HOST_MISMATCH + origin.host();
            }
            if (t instanceof DiagnosingTrustManager.UntrustedCertificateException) {
                return NOT_TRUSTED + " (" + detail(t) + " is not trusted by " + trust(settings)
                        + (hasPathBuilderFailure(chain) ? "" : "; " + detail(chain.get(chain.size() - 1))) + ")";
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return NOT_TRUSTED + " (" + detail(t) + "; trust: " + trust(settings) + ")";
            }
        }
        if (certificateRequest != null && !certificateRequest.answered()) {
            List<String> wantedIssuers = certificateRequest.issuers();
            // A TLS 1.2 server that requires a certificate answers an empty one with an alert (bad_certificate,
            // handshake_failure) or by hanging up, sometimes while we are still writing (broken pipe).
            if (settings.keyStore() == null) {
                return CLIENT_CERTIFICATE_REQUIRED;
            }
            return CLIENT_CERTIFICATE_REQUIRED + " issued by a CA it trusts, and TLS settings '" + settings.name()
                    + "' hold none" + (wantedIssuers.isEmpty() ? "" : " (it accepts " + String.join("; ", wantedIssuers)
                            + ")");
        }
        for (Throwable t : chain) {
            short received = receivedAlert(t);
            if (received >= 0) {
                return fromServerAlert(received, settings);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof TlsFatalAlert alert && alert.getAlertDescription() == AlertDescription.handshake_failure
                    && alert.getCause() == null && readHitEndOfStream(alert)) {
                // BC's record layer raises a bare handshake_failure when the stream ends before the handshake did.
                return closedByServer(certificateRequest);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof EOFException) {
                return closedByServer(certificateRequest);
            }
            if (t instanceof SocketException && t.getMessage() != null) {
                // A server that closes with our bytes unread resets the connection instead of ending it: to the
                // client it is the same hang-up, and which of the two it sees is a race.
                String message = t.getMessage().toLowerCase(Locale.ROOT);
                if (message.contains("connection reset") || message.contains("broken pipe")) {
                    return closedByServer(certificateRequest);
                }
            }
        }
        for (Throwable t : chain) {
            if (t instanceof TlsFatalAlert alert) {
                short d = alert.getAlertDescription();
                if (d == AlertDescription.protocol_version || d == AlertDescription.insufficient_security) {
                    return NOTHING_IN_COMMON;
                }
            }
            if (t instanceof SSLException && sunMessage(t).startsWith("No appropriate protocol")) {
                // SunJSSE's own verdict before sending anything: nothing enabled can be used.
                return NOTHING_IN_COMMON;
            }
        }
        return detail(failure);
    }

    /** A hang-up; after a client certificate went out, most likely the server refusing it. */
    private static String closedByServer(ClientKeyChooser.Request certificateRequest) {
        return certificateRequest != null && certificateRequest.answered()
                ? CLOSED_BY_SERVER + " after the client sent its certificate (the server may have refused it)"
                : CLOSED_BY_SERVER;
    }

    /**
     * The reason when a TLS 1.3 server's certificate alert arrived after the handshake, or {@code null} when
     * {@code failure} carries no such alert.
     */
    static String clientCertificateRejection(Throwable failure, TlsSettings settings) {
        for (Throwable t : chain(failure)) {
            short received = receivedAlert(t);
            if (received >= 0) {
                String reason = fromServerAlert(received, settings);
                return reason.startsWith(CLIENT_CERTIFICATE_REQUIRED) || reason.startsWith(CLIENT_CERTIFICATE_REJECTED)
                        ? reason : null;
            }
        }
        return null;
    }

    /**
     * The fatal alert a server sent, or -1: BouncyCastle's {@link TlsFatalAlertReceived}, or SunJSSE's
     * {@code SSLException("Received fatal alert: bad_certificate")}.
     */
    private static short receivedAlert(Throwable t) {
        if (t instanceof TlsFatalAlertReceived received) {
            return received.getAlertDescription();
        }
        String message = sunMessage(t);
        if (t instanceof SSLException && message.startsWith(SUN_RECEIVED_ALERT)) {
            String name = message.substring(SUN_RECEIVED_ALERT.length()).trim();
            for (short d = 0; d < 256; d++) {
                if (name.equals(AlertDescription.getName(d))) {
                    return d;
                }
            }
        }
        return -1;
    }

    private static String fromServerAlert(short description, TlsSettings settings) {
        switch (description) {
            case AlertDescription.handshake_failure, AlertDescription.protocol_version,
                    AlertDescription.insufficient_security:
                return NOTHING_IN_COMMON;
            case AlertDescription.certificate_required:
                return CLIENT_CERTIFICATE_REQUIRED;
            case AlertDescription.no_application_protocol:
                return NO_APPLICATION_PROTOCOL;
            case AlertDescription.bad_certificate, AlertDescription.unsupported_certificate,
                    AlertDescription.certificate_revoked, AlertDescription.certificate_expired,
                    AlertDescription.certificate_unknown, AlertDescription.unknown_ca, AlertDescription.access_denied:
                // The only certificate a server can complain about is the client's.
                return settings.keyStore() == null ? CLIENT_CERTIFICATE_REQUIRED
                        : CLIENT_CERTIFICATE_REJECTED + " (" + AlertDescription.getText(description) + ")";
            default:
                return "the server sent the fatal alert " + AlertDescription.getText(description);
        }
    }

    /**
     * The message of a SunJSSE exception without the alert name Java 25 puts in front of it; empty when there is no
     * message.
     */
    private static String sunMessage(Throwable t) {
        String message = t.getMessage();
        return message == null ? "" : SUN_ALERT_PREFIX.matcher(message).replaceFirst("");
    }

    /** Whether BC raised {@code alert} from its record reader finding the end of the stream. */
    private static boolean readHitEndOfStream(TlsFatalAlert alert) {
        for (StackTraceElement frame : alert.getStackTrace()) {
            if (frame.getMethodName().equals("safeReadRecord")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPathBuilderFailure(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    private static String trust(TlsSettings settings) {
        return settings == TlsSettings.defaults() ? "the JDK's default trust store"
                : "TLS settings '" + settings.name() + "'";
    }

    /** The throwable's message, or its class name when it has none. */
    private static String detail(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    /** The failure and its causes, outermost first, each once. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
