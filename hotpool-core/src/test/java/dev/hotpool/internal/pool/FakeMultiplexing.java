package dev.hotpool.internal.pool;

import dev.hotpool.CloseReason;
import dev.hotpool.HotPoolException;
import dev.hotpool.HttpProxy;
import dev.hotpool.Origin;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Multiplexing without sockets, for the engine's own tests: origins whose host starts with {@code h2} are offered
 * multiplexing, and each connect to them agrees to it with a {@link Session} of the current default limit, unless told
 * that the next ones speak one exchange at a time or fail. Thread-safe.
 */
final class FakeMultiplexing implements Multiplexing {

    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger oneAtATime = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int limit = 100;

    /** The stream limit of sessions started from now on. */
    FakeMultiplexing limit(int streams) {
        this.limit = streams;
        return this;
    }

    /** The next {@code n} connects to multiplexing origins agree to HTTP/1.1 instead. */
    void nextSpeakOneAtATime(int n) {
        this.oneAtATime.set(n);
    }

    /** The next {@code n} session starts fail. */
    void failNext(int n) {
        this.failures.set(n);
    }

    List<Session> sessions() {
        return this.sessions;
    }

    Session last() {
        return this.sessions.get(this.sessions.size() - 1);
    }

    @Override
    public boolean offered(Origin origin, HttpProxy proxy) {
        return origin.host().startsWith("h2");
    }

    @Override
    public Multiplex open(Origin origin, Transport transport, Multiplex.Events events, int timeoutMillis)
            throws IOException {
        if (this.failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new HotPoolException("hotpool: the HTTP/2 session with " + origin + " did not start (fake)");
        }
        if (this.oneAtATime.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return null;
        }
        Session s = new Session(events, this.limit);
        this.sessions.add(s);
        return s;
    }

    /** A session the test drives: its limit, its GOAWAY, its pings. */
    static final class Session implements Multiplex {

        private final Multiplex.Events events;
        private volatile int limit;
        private volatile boolean accepting = true;
        private volatile boolean answersPing = true;
        private final AtomicInteger pings = new AtomicInteger();
        private final AtomicInteger closes = new AtomicInteger();

        Session(Multiplex.Events events, int limit) {
            this.events = events;
            this.limit = limit;
        }

        /** The connection the session was started on (the pool's entry, which hears its events). */
        PoolEntry entry() {
            return (PoolEntry) this.events;
        }

        /** The peer's SETTINGS change the limit; the pool hears of it. */
        void limit(int streams) {
            this.limit = streams;
            this.events.limitChanged();
        }

        /** The peer says GOAWAY (or the connection fails): the pool hears of it. */
        void goAway(CloseReason reason) {
            this.accepting = false;
            this.events.draining(reason);
        }

        void stopAnsweringPings() {
            this.answersPing = false;
        }

        int pings() {
            return this.pings.get();
        }

        int closes() {
            return this.closes.get();
        }

        @Override
        public int streamLimit() {
            return this.limit;
        }

        @Override
        public boolean accepting() {
            return this.accepting;
        }

        @Override
        public boolean ping() {
            this.pings.incrementAndGet();
            return this.answersPing;
        }

        @Override
        public void close() {
            this.accepting = false;
            this.closes.incrementAndGet();
        }
    }
}
