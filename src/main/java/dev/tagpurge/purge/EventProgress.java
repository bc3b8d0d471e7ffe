package dev.tagpurge.purge;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.domain.TargetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One change event on its way through the targets it routes to. When the last target reaches a
 * terminal outcome the {@code onDone} callback runs once, on the thread that finished it.
 */
public final class EventProgress {

    private static final Logger LOG = Logger.getLogger(EventProgress.class);

    private final ChangeEvent event;
    private final Instant receivedAt;
    private final long deadlineNanos;
    private final List<TargetProgress> targets = new ArrayList<>(2);
    private final AtomicInteger remaining = new AtomicInteger();
    private final Consumer<EventProgress> onDone;

    EventProgress(
            ChangeEvent event,
            Instant receivedAt,
            long deadlineNanos,
            Consumer<EventProgress> onDone) {
        this.event = event;
        this.receivedAt = receivedAt;
        this.deadlineNanos = deadlineNanos;
        this.onDone = onDone;
    }

    public ChangeEvent event() {
        return event;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /**
     * When retries stop ({@link System#nanoTime()} scale): receipt plus {@code
     * tagpurge.purge.deadline}.
     */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    public List<TargetProgress> targets() {
        return Collections.unmodifiableList(targets);
    }

    /** When latency starts: the event's own {@code time}, else its receipt. */
    public Instant startedAt() {
        return event.time().orElse(receivedAt);
    }

    public EventStatus status() {
        if (targets.isEmpty()) {
            return EventStatus.UNMATCHED;
        }
        long ok = targets.stream().filter(t -> t.status() == TargetStatus.SUCCEEDED).count();
        if (ok == targets.size()) {
            return EventStatus.SUCCEEDED;
        }
        return ok == 0 ? EventStatus.FAILED : EventStatus.PARTIAL;
    }

    /** Whether any target failed (the event then also goes to the dead-letter topic). */
    public boolean anyFailed() {
        return targets.stream().anyMatch(t -> t.status() == TargetStatus.FAILED);
    }

    TargetProgress addTarget(String target, String provider) {
        TargetProgress p = new TargetProgress(this, target, provider);
        targets.add(p);
        remaining.incrementAndGet();
        return p;
    }

    /** No target receives anything: the event is done at once (and unmatched). */
    void onNothingRouted() {
        done();
    }

    void targetDone() {
        if (remaining.decrementAndGet() == 0) {
            done();
        }
    }

    private void done() {
        try {
            onDone.accept(this);
        } catch (RuntimeException e) {
            // the callback writes the outcome and must not throw; if it does, say so loudly rather
            // than let the pipeline's executor swallow it
            try (var log = LogContext.of(LogContext.EVENT_ID, event.id())) {
                LOG.errorf(e, "event %s: handling its outcome failed", event.id());
            }
        }
    }
}
