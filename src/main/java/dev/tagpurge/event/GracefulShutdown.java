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
 * <p>The Kubernetes {@code terminationGracePeriodSeconds} must exceed the drain timeout plus the
 * connector's close.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private final PurgeDispatcher dispatcher;
    private final ChangeEventConsumer consumer;
    private final Duration drainTimeout;

    public GracefulShutdown(
            PurgeDispatcher dispatcher, ChangeEventConsumer consumer, TagpurgeConfig config) {
        this.dispatcher = dispatcher;
        this.consumer = consumer;
        this.drainTimeout = config.shutdown().drainTimeout();
    }

    // Priority 1: before the messaging connectors, which close on later shutdown notifications.
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        long started = System.nanoTime();
        dispatcher.stopIntake();
        int inFlight = consumer.unacknowledged();
        LOG.infof(
                "shutting down: intake stopped, flushing pending purges of %d events in flight",
                inFlight);
        long deadline = started + drainTimeout.toNanos();
        while (!drained() && System.nanoTime() < deadline) {
            dispatcher.flushAll();
            LockSupport.parkNanos(POLL_NANOS);
        }
        long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (drained()) {
            LOG.infof("shutdown drain complete in %d ms: every consumed event has its outcome", ms);
        } else {
            LOG.warnf(
                    "shutdown drain timed out after %d ms with %d events in flight; they stay uncommitted and will be re-delivered",
                    ms, consumer.unacknowledged());
        }
    }

    private boolean drained() {
        return dispatcher.isIdle() && consumer.unacknowledged() == 0;
    }
}
