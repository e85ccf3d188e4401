package dev.hotpool.metrics.micrometer;

import java.util.Iterator;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Timer samples taken before the first registry is bound, and {@link HotPoolMetrics#close()} racing a sample: the
 * registry list here empties itself right after its first look, as when close() runs between two looks of a
 * request thread.
 */
class TimersTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final BoundRegistry bound = new BoundRegistry(this.registry, Tags.empty(), null,
            new MeterNaming(HotPoolMetrics.Naming.HOTPOOL), (failure) -> {
                throw failure;
            });

    private final TimerKey acquire = new HostMeters(Tags.of("host", "a.test")).acquireKey;

    @Test
    void samplesTakenBeforeTheFirstRegistryGoToItWhenItIsBound() {
        CopyOnWriteArrayList<BoundRegistry> registries = new CopyOnWriteArrayList<>();
        Timers timers = new Timers(registries, 10);
        timers.record(this.acquire, TimeUnit.MILLISECONDS.toNanos(3));
        timers.record(this.acquire, TimeUnit.MILLISECONDS.toNanos(5));
        registries.add(this.bound);
        timers.resume();

        assertThat(this.registry.get("hotpool.connections.acquire").tag("host", "a.test").timer().count())
            .isEqualTo(2);
    }

    @Test
    void registriesRemovedWhileTheWaitingSamplesAreRecordedThrowNothingIntoTheCaller() {
        EmptiedAfterOneLook registries = new EmptiedAfterOneLook();
        Timers timers = new Timers(registries, 10);
        timers.record(this.acquire, TimeUnit.MILLISECONDS.toNanos(3));
        registries.add(this.bound);
        registries.emptyAfterNextLook = true;

        assertThatCode(timers::resume).doesNotThrowAnyException();
    }

    /** A registry list that close() empties right after the next look at it, whatever that look is. */
    private static final class EmptiedAfterOneLook extends CopyOnWriteArrayList<BoundRegistry> {

        volatile boolean emptyAfterNextLook;

        @Override
        public boolean isEmpty() {
            boolean empty = super.isEmpty();
            closeIfArmed();
            return empty;
        }

        @Override
        public Iterator<BoundRegistry> iterator() {
            Iterator<BoundRegistry> snapshot = super.iterator();
            closeIfArmed();
            return snapshot;
        }

        private void closeIfArmed() {
            if (this.emptyAfterNextLook) {
                this.emptyAfterNextLook = false;
                clear();
            }
        }
    }
}
