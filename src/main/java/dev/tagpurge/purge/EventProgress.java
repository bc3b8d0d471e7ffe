package dev.tagpurge.purge;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.domain.TargetStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One change event on its way through the targets it routes to. When the last target reaches a
 * terminal outcome the {@code onDone} callback runs once, on the thread that finished it.
 */
public final class EventProgress {

    private static final Logger LOG = Logger.getLogger(EventProgress.class);
    private static final VarHandle REMAINING;
    private static final TargetProgress[] NO_TARGETS = {};

    static {
        try {
            REMAINING =
                    MethodHandles.lookup()
                            .findVarHandle(EventProgress.class, "remaining", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // what outlives dispatch of the event is its identity and its instants, not the event: an
    // event in flight keeps no ChangeEvent, Optional or Instant objects
    private final String id;
    private final String type;
    // instants as two numbers each, not Instant objects: exact, and less kept
    private final long receivedSecond;
    private final int receivedNano;
    private final long startedSecond;
    private final int startedNano;
    private final long dispatchedNanos;
    private final long deadlineNanos;
    private final boolean repurge;
    // the first target in a field of its own and the others in an array of exactly them: an event
    // in flight keeps no list and no spare slots, and one for a single target no array at all
    private TargetProgress first;
    private TargetProgress[] others = NO_TARGETS;
    // targets not yet done, changed through REMAINING: an event in flight keeps no atomic object
    private volatile int remaining;
    private final Consumer<EventProgress> onDone;
    // set before any target is submitted, when the targets are in more than one layer
    private LayerChain layers;

    EventProgress(
            ChangeEvent event,
            Instant receivedAt,
            long dispatchedNanos,
            long deadlineNanos,
            Consumer<EventProgress> onDone) {
        this(
                event.id(),
                event.type(),
                receivedAt,
                // latency starts at the event's own time, else at its receipt
                event.time().orElse(receivedAt),
                dispatchedNanos,
                deadlineNanos,
                false,
                onDone);
    }

    private EventProgress(
            String id,
            String type,
            Instant receivedAt,
            Instant startedAt,
            long dispatchedNanos,
            long deadlineNanos,
            boolean repurge,
            Consumer<EventProgress> onDone) {
        this.id = id;
        this.type = type;
        this.receivedSecond = receivedAt.getEpochSecond();
        this.receivedNano = receivedAt.getNano();
        this.startedSecond = startedAt.getEpochSecond();
        this.startedNano = startedAt.getNano();
        this.dispatchedNanos = dispatchedNanos;
        this.deadlineNanos = deadlineNanos;
        this.repurge = repurge;
        this.onDone = onDone;
    }

    /**
     * One round of second purges on one target ({@code repurge-after}): it holds no offset and
     * writes no completion; {@code onDone} counts its outcome.
     */
    static EventProgress repurgeRound(
            String id,
            Instant now,
            long nowNanos,
            long deadlineNanos,
            Consumer<EventProgress> onDone) {
        return new EventProgress(id, REPURGE_TYPE, now, now, nowNanos, deadlineNanos, true, onDone);
    }

    /** The {@code type} of the progress of a round of second purges. */
    static final String REPURGE_TYPE = "tagpurge.repurge";

    /** The event's {@code id}. */
    public String id() {
        return id;
    }

    /** The event's {@code type}. */
    public String type() {
        return type;
    }

    /** Whether this is a round of second purges rather than a change event or operator purge. */
    boolean isRepurge() {
        return repurge;
    }

    /** When it was dispatched, on the pipeline clock's nanosecond scale. */
    long dispatchedNanos() {
        return dispatchedNanos;
    }

    public Instant receivedAt() {
        return Instant.ofEpochSecond(receivedSecond, receivedNano);
    }

    /**
     * When retries stop ({@link System#nanoTime()} scale): receipt plus {@code
     * tagpurge.purge.deadline}.
     */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    public List<TargetProgress> targets() {
        if (first == null) {
            return List.of();
        }
        if (others.length == 0) {
            return List.of(first);
        }
        TargetProgress[] all = new TargetProgress[1 + others.length];
        all[0] = first;
        System.arraycopy(others, 0, all, 1, others.length);
        return List.of(all);
    }

    private int targetCount() {
        return first == null ? 0 : 1 + others.length;
    }

    private TargetProgress target(int index) {
        return index == 0 ? first : others[index - 1];
    }

    /** When latency starts: the event's own {@code time}, else its receipt. */
    public Instant startedAt() {
        return Instant.ofEpochSecond(startedSecond, startedNano);
    }

    public EventStatus status() {
        int count = targetCount();
        if (count == 0) {
            return EventStatus.UNMATCHED;
        }
        int ok = 0;
        for (int i = 0; i < count; i++) {
            if (target(i).status() == TargetStatus.SUCCEEDED) {
                ok++;
            }
        }
        if (ok == count) {
            return EventStatus.SUCCEEDED;
        }
        return ok == 0 ? EventStatus.FAILED : EventStatus.PARTIAL;
    }

    /** Whether any target failed (the event then also goes to the dead-letter topic). */
    public boolean anyFailed() {
        int count = targetCount();
        for (int i = 0; i < count; i++) {
            if (target(i).status() == TargetStatus.FAILED) {
                return true;
            }
        }
        return false;
    }

    TargetProgress addTarget(String target, String provider) {
        return addTarget(target, provider, 0);
    }

    TargetProgress addTarget(String target, String provider, int layerIndex) {
        TargetProgress p = new TargetProgress(this, target, provider, layerIndex);
        if (first == null) {
            first = p;
        } else {
            others = Arrays.copyOf(others, others.length + 1);
            others[others.length - 1] = p;
        }
        REMAINING.getAndAdd(this, 1);
        return p;
    }

    void chainLayers(LayerChain chain) {
        this.layers = chain;
    }

    /** No target receives anything: the event is done at once (and unmatched). */
    void onNothingRouted() {
        done();
    }

    void targetDone(TargetProgress target) {
        if (layers != null) {
            // hands the next layer its selectors when this was the last open one below it
            layers.targetDone(target.layerIndex());
        }
        if ((int) REMAINING.getAndAdd(this, -1) == 1) {
            done();
        }
    }

    private void done() {
        try {
            onDone.accept(this);
        } catch (RuntimeException e) {
            // the callback writes the outcome and must not throw; if it does, say so loudly rather
            // than let the pipeline's executor swallow it
            try (var log = LogContext.of(LogContext.EVENT_ID, id)) {
                LOG.errorf(e, "event %s: handling its outcome failed", id);
            }
        }
    }
}
