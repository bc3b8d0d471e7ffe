package dev.tagpurge.ratelimit;

import dev.tagpurge.domain.SelectorKind;
import java.util.List;

/**
 * What a limiter can tell of the buckets one kind of request counts against, read without taking a
 * token: for an operator's preview, which predicts the wait from it.
 *
 * @param source where the counts come from ({@link #UNLIMITED_SOURCE}, {@link #LOCAL}, {@link
 *     #SHARED} or {@link #FALLBACK})
 * @param buckets the buckets the kind counts against; empty when none limits it
 */
public record Budget(String source, List<BucketBudget> buckets) {

    /** No bucket limits the target. */
    public static final String UNLIMITED_SOURCE = "unlimited";

    /** This replica's own buckets ({@code tagpurge.ratelimit.shared=false}). */
    public static final String LOCAL = "local";

    /** The buckets every replica shares in Redis. */
    public static final String SHARED = "shared in Redis";

    /** This replica's share of the limits, as Redis did not answer. */
    public static final String FALLBACK = "local share (Redis did not answer)";

    /** The answer of a limiter without buckets. */
    public static final Budget UNLIMITED = new Budget(UNLIMITED_SOURCE, List.of());

    public Budget {
        buckets = List.copyOf(buckets);
    }

    /** Whether nothing limits the requests asked about. */
    public boolean unlimited() {
        return buckets.isEmpty();
    }

    /**
     * One bucket's state.
     *
     * @param rule the bucket as the limiter enforces it (margin and fallback share applied)
     * @param tokens tokens available now, after refill
     */
    public record BucketBudget(BucketRule rule, double tokens) {

        public String name() {
            return rule.name();
        }

        public long capacity() {
            return rule.capacity();
        }

        /** Tokens added per second while the bucket is below capacity. */
        public double refillPerSecond() {
            return rule.refillTokens() * 1e9 / rule.refillPeriod().toNanos();
        }

        /**
         * Tokens a request of {@code items} selectors of {@code kind} takes here: as the limiter
         * takes them, never more than the capacity.
         */
        public long cost(SelectorKind kind, int items) {
            return rule.chargedCost(kind, items);
        }
    }
}
