package dev.tagpurge.ratelimit;

import dev.tagpurge.domain.SelectorKind;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Token buckets in this process (Bucket4j). A request's cost is taken from all its buckets or from
 * none: availability is checked on every bucket first, under this object's lock.
 */
public final class LocalRateLimiter implements RateLimiter {

    private final Map<BucketRule, Bucket> buckets = new LinkedHashMap<>();

    public LocalRateLimiter(List<BucketRule> rules) {
        this(rules, TimeMeter.SYSTEM_NANOTIME);
    }

    /** Buckets on {@code nanos}: a test's clock makes refills exact and reproducible. */
    public LocalRateLimiter(List<BucketRule> rules, LongSupplier nanos) {
        this(
                rules,
                new TimeMeter() {
                    @Override
                    public long currentTimeNanos() {
                        return nanos.getAsLong();
                    }

                    @Override
                    public boolean isWallClockBased() {
                        return false;
                    }
                });
    }

    private LocalRateLimiter(List<BucketRule> rules, TimeMeter time) {
        for (BucketRule rule : rules) {
            Bandwidth limit =
                    Bandwidth.builder()
                            .capacity(rule.capacity())
                            .refillGreedy(rule.refillTokens(), rule.refillPeriod())
                            .build();
            buckets.put(
                    rule, Bucket.builder().withCustomTimePrecision(time).addLimit(limit).build());
        }
    }

    @Override
    public Uni<Long> tryAcquire(SelectorKind kind, int items) {
        return Uni.createFrom().item(acquireNow(kind, items));
    }

    @Override
    public Uni<Long> tryAcquireSpare(SelectorKind kind, int items, long withinNanos) {
        return Uni.createFrom().item(acquireSpareNow(kind, items, withinNanos));
    }

    /** Synchronous form of {@link #tryAcquire}. */
    public synchronized long acquireNow(SelectorKind kind, int items) {
        return acquire(kind, items, BucketRule.FULL_REQUEST);
    }

    /** Synchronous form of {@link #tryAcquireSpare}. */
    public synchronized long acquireSpareNow(SelectorKind kind, int items, long withinNanos) {
        return acquire(kind, items, Math.max(0, withinNanos));
    }

    /** Takes the cost when every bucket holds {@link BucketRule#tokensNeeded}. */
    private long acquire(SelectorKind kind, int items, long spareWithinNanos) {
        long wait = 0;
        for (Map.Entry<BucketRule, Bucket> e : buckets.entrySet()) {
            long needed = e.getKey().tokensNeeded(kind, items, spareWithinNanos);
            if (needed > 0) {
                EstimationProbe probe = e.getValue().estimateAbilityToConsume(needed);
                if (!probe.canBeConsumed()) {
                    wait = Math.max(wait, probe.getNanosToWaitForRefill());
                }
            }
        }
        if (wait > 0) {
            return wait;
        }
        for (Map.Entry<BucketRule, Bucket> e : buckets.entrySet()) {
            long cost = e.getKey().chargedCost(kind, items);
            if (cost > 0) {
                e.getValue().tryConsume(cost);
            }
        }
        return 0;
    }

    @Override
    public synchronized void onThrottled(SelectorKind kind) {
        forEachCounting(kind, Bucket::tryConsumeAsMuchAsPossible);
    }

    @Override
    public synchronized void onRemaining(SelectorKind kind, long remaining) {
        forEachCounting(
                kind,
                bucket -> {
                    long excess = bucket.getAvailableTokens() - Math.max(0, remaining);
                    if (excess > 0) {
                        bucket.tryConsume(excess);
                    }
                });
    }

    @Override
    public Uni<Budget> budget(SelectorKind kind) {
        return Uni.createFrom().item(budgetNow(kind, Budget.LOCAL));
    }

    /** The buckets {@code kind} counts against, refilled to now; nothing is taken. */
    synchronized Budget budgetNow(SelectorKind kind, String source) {
        List<Budget.BucketBudget> out = new ArrayList<>();
        buckets.forEach(
                (rule, bucket) -> {
                    if (rule.cost(kind, 1) > 0) {
                        out.add(new Budget.BucketBudget(rule, bucket.getAvailableTokens()));
                    }
                });
        return new Budget(source, out);
    }

    /** Tokens available now in bucket {@code name} (tests, health). */
    public synchronized long available(String name) {
        return buckets.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .mapToLong(e -> e.getValue().getAvailableTokens())
                .findFirst()
                .orElse(-1);
    }

    private void forEachCounting(SelectorKind kind, Consumer<Bucket> action) {
        buckets.forEach(
                (rule, bucket) -> {
                    if (rule.cost(kind, 1) > 0) {
                        action.accept(bucket);
                    }
                });
    }
}
