package dev.tagpurge.purge;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The open outcomes of one target in the order they were accepted, which is the order of their
 * deadlines (receipt plus one fixed {@code tagpurge.purge.deadline}). It lets the pipeline fail
 * whatever passed its deadline, whatever it is waiting for (tokens, a provider's Retry-After, the
 * limiter, a free request slot, a retry), by looking at the head only.
 *
 * <p>An outer layer's selectors arrive after their event's inner layers finished, so their deadline
 * may come before that of outcomes accepted meanwhile: such an outcome goes to a small heap beside
 * the queue instead, so that it still expires on time.
 *
 * <p>Outcomes that finish are left in place and dropped when they reach the head; a compaction
 * bounds the queue when one old outcome holds the head for long. Confined to the pipeline's
 * executor.
 */
final class DeadlineQueue {

    private static final int MIN_COMPACT_AT = 1024;

    private final ArrayDeque<TargetProgress> open = new ArrayDeque<>();
    private final PriorityQueue<TargetProgress> late =
            new PriorityQueue<>(Comparator.comparingLong(p -> p.event().deadlineNanos()));
    private int compactAt = MIN_COMPACT_AT;

    void add(TargetProgress progress) {
        TargetProgress last = open.peekLast();
        if (last != null && last.event().deadlineNanos() > progress.event().deadlineNanos()) {
            late.add(progress);
            if (late.size() >= compactAt) {
                late.removeIf(TargetProgress::isDone);
            }
            return;
        }
        open.addLast(progress);
        if (open.size() >= compactAt) {
            open.removeIf(TargetProgress::isDone);
            compactAt = Math.max(MIN_COMPACT_AT, 2 * open.size());
        }
    }

    /**
     * Hands every open outcome whose deadline is not after {@code nowNanos} to {@code expire}.
     *
     * @return how many expired
     */
    int expire(long nowNanos, Consumer<TargetProgress> expire) {
        return expireOpen(nowNanos, expire) + expireLate(nowNanos, expire);
    }

    private int expireOpen(long nowNanos, Consumer<TargetProgress> expire) {
        int expired = 0;
        while (!open.isEmpty()) {
            TargetProgress head = open.peekFirst();
            if (!head.isDone() && nowNanos < head.event().deadlineNanos()) {
                break;
            }
            open.pollFirst();
            if (!head.isDone()) {
                expire.accept(head);
                expired++;
            }
        }
        return expired;
    }

    private int expireLate(long nowNanos, Consumer<TargetProgress> expire) {
        int expired = 0;
        while (!late.isEmpty()) {
            TargetProgress head = late.peek();
            if (!head.isDone() && nowNanos < head.event().deadlineNanos()) {
                break;
            }
            late.poll();
            if (!head.isDone()) {
                expire.accept(head);
                expired++;
            }
        }
        return expired;
    }

    /** The deadline of the oldest open outcome, or {@link Long#MAX_VALUE} when none is open. */
    long nextDeadlineNanos() {
        while (!open.isEmpty() && open.peekFirst().isDone()) {
            open.pollFirst();
        }
        while (!late.isEmpty() && late.peek().isDone()) {
            late.poll();
        }
        long next = open.isEmpty() ? Long.MAX_VALUE : open.peekFirst().event().deadlineNanos();
        return late.isEmpty() ? next : Math.min(next, late.peek().event().deadlineNanos());
    }
}
