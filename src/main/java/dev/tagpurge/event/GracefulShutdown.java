package dev.tagpurge.event;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.purge.PurgeDispatcher;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Drains the pipeline on shutdown (SIGTERM): intake stops taking records, every pending window is
 * flushed at once instead of waiting its linger, and shutdown waits until the events in flight have
 * their outcomes and completion events written, so their offsets can be committed when the Kafka
 * connector closes after this. What is still open at {@code tagpurge.shutdown.drain-timeout} is
 * left uncommitted and re-delivered to the next consumer: at least once either way.
 *
 * <p>The drain also ends when outcome writes are pending and none has succeeded for {@code
 * tagpurge.shutdown.write-stall-timeout}: the broker is unreachable, no offset can be committed, so
 * waiting the full drain timeout would only delay the restart (measured: 38 s with the broker gone
 * before this rule and the 2 s client close timeouts, most of it the 25 s drain; 7 s after). Then
 * the Kafka clients close within their {@code close-timeout} (2 s each, application.properties).
 *
 * <p>The Kubernetes {@code terminationGracePeriodSeconds} must exceed the drain timeout plus the
 * connectors' close.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private final PurgeDispatcher dispatcher;
    private final ChangeEventConsumer consumer;
    private final Duration drainTimeout;
    private final Duration writeStallTimeout;

    public GracefulShutdown(
            PurgeDispatcher dispatcher, ChangeEventConsumer consumer, TagpurgeConfig config) {
        this.dispatcher = dispatcher;
        this.consumer = consumer;
        this.drainTimeout = config.shutdown().drainTimeout();
        this.writeStallTimeout = config.shutdown().writeStallTimeout();
    }

    // Priority 1: before the messaging connectors, which close on later shutdown notifications.
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        long started = System.nanoTime();
        dispatcher.stopIntake();
        LOG.infof(
                "shutting down: intake stopped, flushing pending purges of %d events in flight",
                consumer.unacknowledged());
        long deadline = started + drainTimeout.toNanos();
        boolean stalled = false;
        while (!drained() && System.nanoTime() < deadline && !stalled) {
            dispatcher.flushAll();
            LockSupport.parkNanos(POLL_NANOS);
            stalled = writesStalled(started);
        }
        report(started, stalled);
    }

    private void report(long started, boolean stalled) {
        long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (drained()) {
            LOG.infof("shutdown drain complete in %d ms: every consumed event has its outcome", ms);
        } else if (stalled) {
            LOG.warnf(
                    "shutdown drain stopped after %d ms: no outcome write succeeded for %d ms"
                            + " (broker unreachable?) with %d writes pending; %d events in flight"
                            + " stay uncommitted and will be re-delivered",
                    ms,
                    writeStallTimeout.toMillis(),
                    consumer.outcomeWritesPending(),
                    consumer.unacknowledged());
        } else {
            LOG.warnf(
                    "shutdown drain timed out after %d ms with %d events in flight; they stay uncommitted and will be re-delivered",
                    ms, consumer.unacknowledged());
        }
    }

    /** Writes are waiting and none succeeded since the drain began or for the stall timeout. */
    private boolean writesStalled(long started) {
        if (consumer.outcomeWritesPending() == 0) {
            return false;
        }
        long lastProgress = Math.max(started, consumer.lastOutcomeWrittenNanos());
        return System.nanoTime() - lastProgress > writeStallTimeout.toNanos();
    }

    private boolean drained() {
        return dispatcher.isIdle() && consumer.unacknowledged() == 0;
    }
}
