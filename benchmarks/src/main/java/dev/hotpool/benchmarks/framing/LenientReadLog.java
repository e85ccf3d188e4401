package dev.hotpool.benchmarks.framing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why hotpool closed a connection after a response it read leniently: hotpool says it only in a DEBUG line of
 * {@code dev.hotpool.internal.http.Http1Client} ("the response from ... was read leniently (why); its connection is closed
 * after it"). The benchmarks log through slf4j-simple, which writes to whatever {@link System#err} is at the time;
 * while open, this catches what goes there, and {@link #close()} passes the lines that are not DEBUG on.
 *
 * <p>{@link #enable()} must run before the first logger is made (slf4j-simple reads its levels once). Not
 * thread-safe: one at a time, around the requests of one thread.
 */
final class LenientReadLog implements AutoCloseable {

    static final String LOGGER = "org.slf4j.simpleLogger.log.dev.hotpool.internal.http.Http1Client";

    private static final Pattern LENIENT = Pattern.compile("was read leniently \\((.*)\\); its connection is closed");

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream caught = new ByteArrayOutputStream();

    LenientReadLog() {
        System.setErr(new PrintStream(this.caught, true, StandardCharsets.UTF_8));
    }

    /** Turns hotpool's DEBUG line on, unless the command line set that logger's level. */
    static void enable() {
        if (System.getProperty(LOGGER) == null) {
            System.setProperty(LOGGER, "debug");
        }
    }

    /** The reason of the last lenient read caught since the last call, or {@code null}; forgets what it caught. */
    String takeReason() {
        String text = this.caught.toString(StandardCharsets.UTF_8);
        flushOthers(text);
        this.caught.reset();
        String reason = null;
        for (Matcher m = LENIENT.matcher(text); m.find(); ) {
            reason = m.group(1);
        }
        return reason;
    }

    private void flushOthers(String text) {
        text.lines().filter(l -> !l.contains(" DEBUG ")).forEach(this.original::println);
    }

    @Override
    public void close() {
        System.setErr(this.original);
        flushOthers(this.caught.toString(StandardCharsets.UTF_8));
    }
}
