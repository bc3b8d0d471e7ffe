package dev.tagpurge.purge;

import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.ratelimit.Budget;
import dev.tagpurge.ratelimit.RateLimiter;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/** A bucket of request tokens that only the test refills; asks for a fixed wait when empty. */
class ManualLimiter implements RateLimiter {

    private final Duration waitWhenEmpty;
    private long tokens;
    int asked;

    ManualLimiter(long tokens, Duration waitWhenEmpty) {
        this.tokens = tokens;
        this.waitWhenEmpty = waitWhenEmpty;
    }

    void refill(long n) {
        tokens += n;
    }

    @Override
    public Uni<Long> tryAcquire(SelectorKind kind, int items) {
        asked++;
        if (tokens > 0) {
            tokens--;
            return Uni.createFrom().item(0L);
        }
        return Uni.createFrom().item(waitWhenEmpty.toNanos());
    }

    @Override
    public void onThrottled(SelectorKind kind) {
        tokens = 0;
    }

    @Override
    public void onRemaining(SelectorKind kind, long remaining) {
        tokens = Math.min(tokens, remaining);
    }

    @Override
    public Uni<Budget> budget(SelectorKind kind) {
        return Uni.createFrom().item(Budget.UNLIMITED);
    }
}
