package dev.tagpurge.ratelimit;

import dev.tagpurge.domain.SelectorKind;
import io.smallrye.mutiny.Uni;

/**
 * A target's token buckets. The pipeline asks before it takes a due batch out of the window, so
 * while it waits, selectors keep coalescing into that batch.
 */
public interface RateLimiter {

    /** A limiter that never waits (targets without documented limits). */
    RateLimiter UNLIMITED =
            new RateLimiter() {
                @Override
                public Uni<Long> tryAcquire(SelectorKind kind, int items) {
                    return Uni.createFrom().item(0L);
                }

                @Override
                public void onThrottled(SelectorKind kind) {}

                @Override
                public void onRemaining(SelectorKind kind, long remaining) {}

                @Override
                public Uni<Budget> budget(SelectorKind kind) {
                    return Uni.createFrom().item(Budget.UNLIMITED);
                }
            };

    /**
     * Takes the tokens a request of {@code items} selectors of {@code kind} costs from every bucket
     * it counts against, all or none.
     *
     * @return 0 when taken; else nanoseconds until it could be (nothing taken)
     */
    Uni<Long> tryAcquire(SelectorKind kind, int items);

    /**
     * {@link #tryAcquire} for a request that is not full: takes its tokens only when each bucket
     * counting whole requests is within {@code withinNanos} of refilling to its capacity (see
     * {@link BucketRule#spareFloor}). Such a token is one that waiting would lose to the cap, never
     * one a fuller request could use; a limiter without that notion takes as {@link #tryAcquire}
     * does.
     *
     * @return 0 when taken; else nanoseconds until it could be (nothing taken)
     */
    default Uni<Long> tryAcquireSpare(SelectorKind kind, int items, long withinNanos) {
        return tryAcquire(kind, items);
    }

    /** The provider said 429 for {@code kind}: our view was too generous; empty those buckets. */
    void onThrottled(SelectorKind kind);

    /** The provider reported {@code remaining} calls for {@code kind}: never believe in more. */
    void onRemaining(SelectorKind kind, long remaining);

    /**
     * The tokens of every bucket a request of {@code kind} counts against, read without taking any
     * (an operator's preview). Never fails: a limiter that cannot read its shared state answers
     * with its local view and says so in {@link Budget#source()}.
     */
    Uni<Budget> budget(SelectorKind kind);
}
