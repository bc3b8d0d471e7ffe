package dev.tagpurge.ratelimit;

import dev.tagpurge.domain.SelectorKind;
import java.time.Duration;
import java.util.Set;

/**
 * One token bucket of a provider's limits: {@code capacity} tokens, refilled by {@code
 * refillTokens} every {@code refillPeriod} (smoothly), consumed by requests of the given kinds.
 *
 * @param name bucket name, used in configuration ({@code rate-limits.<name>.*}) and Redis keys
 * @param perItem whether a request costs one token per selector (Akamai's URL and tag buckets,
 *     Cloudflare's URL rate) or one per request (Cloudflare's tag/prefix/everything bucket)
 * @param weight multiplier of the cost (Akamai's CP-code bucket: CP codes per purge-everything)
 */
public record BucketRule(
        String name,
        long capacity,
        long refillTokens,
        Duration refillPeriod,
        Set<SelectorKind> kinds,
        boolean perItem,
        long weight) {

    public BucketRule {
        kinds = Set.copyOf(kinds);
        if (capacity < 1
                || refillTokens < 1
                || refillPeriod.isNegative()
                || refillPeriod.isZero()) {
            throw new IllegalArgumentException(
                    "rate bucket "
                            + name
                            + ": capacity, refill tokens and period must be positive");
        }
    }

    /** A bucket costing one token per request. */
    public static BucketRule perRequest(
            String name, long capacity, long refill, Duration period, Set<SelectorKind> kinds) {
        return new BucketRule(name, capacity, refill, period, kinds, false, 1);
    }

    /** A bucket costing one token per selector. */
    public static BucketRule perItem(
            String name, long capacity, long refill, Duration period, Set<SelectorKind> kinds) {
        return new BucketRule(name, capacity, refill, period, kinds, true, 1);
    }

    /** Tokens a request of {@code items} selectors of {@code kind} costs here (0: not counted). */
    public long cost(SelectorKind kind, int items) {
        if (!kinds.contains(kind)) {
            return 0;
        }
        return (perItem ? items : 1) * weight;
    }

    /** What {@link #tokensNeeded} is given for a full request: it may take any token. */
    public static final long FULL_REQUEST = -1;

    /**
     * The tokens a limiter takes here for a request of {@code items} selectors of {@code kind}: its
     * cost, never more than the capacity (a request larger than the bucket would wait for ever).
     */
    public long chargedCost(SelectorKind kind, int items) {
        return Math.min(cost(kind, items), capacity);
    }

    /**
     * The tokens this bucket must hold before the request may take its {@link #chargedCost}: the
     * cost for a full request ({@code spareWithinNanos} = {@link #FULL_REQUEST}), the {@link
     * #spareFloor} for one that is not full.
     */
    public long tokensNeeded(SelectorKind kind, int items, long spareWithinNanos) {
        return spareWithinNanos < 0
                ? chargedCost(kind, items)
                : spareFloor(kind, items, spareWithinNanos);
    }

    /**
     * The tokens this bucket must hold before a request of {@code items} selectors that is not full
     * may take its cost. A bucket counting whole requests must be within {@code withinNanos} of
     * refilling to its capacity: then the token spent is one that waiting would have lost to the
     * cap, so a partly full request never spends a token a fuller request could use, and partly
     * full requests go out no faster than the bucket refills. A bucket counting selectors charges
     * such a request only for what it carries, so it asks for no more than the cost.
     */
    public long spareFloor(SelectorKind kind, int items, long withinNanos) {
        long cost = chargedCost(kind, items);
        if (cost == 0 || perItem) {
            return cost;
        }
        double refilledMeanwhile = (double) refillTokens * withinNanos / refillPeriod.toNanos();
        long floor = (long) Math.ceil(capacity - refilledMeanwhile - 1e-9);
        return Math.max(cost, Math.min(capacity, floor));
    }

    /**
     * The same bucket scaled to {@code share} of its capacity and rate, rounded down (at least 1
     * token): N replicas each holding 1/N must not add up to more than the bucket, which rounding
     * to nearest would (20 tokens in thirds of 7).
     */
    public BucketRule scaled(double share) {
        return new BucketRule(
                name,
                scaledDown(capacity, share),
                scaledDown(refillTokens, share),
                refillPeriod,
                kinds,
                perItem,
                weight);
    }

    // the epsilon keeps a product like 30 * (1.0 / 3) = 9.999... from losing a whole token
    private static long scaledDown(long tokens, double share) {
        return Math.max(1, (long) Math.floor(tokens * share + 1e-9));
    }

    /**
     * This bucket with a margin held back, so that a provider counting requests on arrival never
     * refuses one that this bucket allowed: the refill rate lowered by {@code margin} (its period
     * stretched, so the rate stays exact) and the capacity lowered by {@code margin} and then by
     * {@code inFlightTokens}, the most that requests taken from the bucket but not yet arrived can
     * carry. Those requests can arrive together with the ones after them while the provider's
     * bucket, full and unaware of them, let their refill go to waste; by at most their cost, which
     * the capacity set aside covers. The in-flight part takes at most half of the capacity, and a
     * bucket keeps at least one token. A margin of 0 returns this bucket unchanged.
     */
    public BucketRule withMargin(double margin, long inFlightTokens) {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException(
                    "tagpurge.ratelimit.margin must be in [0, 1), was " + margin);
        }
        if (margin == 0) {
            return this;
        }
        long reduced = (long) Math.floor(capacity * (1 - margin));
        long inFlight = Math.min(Math.max(0, inFlightTokens), reduced / 2);
        long nanos = (long) Math.ceil(refillPeriod.toNanos() / (1 - margin));
        return new BucketRule(
                name,
                Math.max(1, reduced - inFlight),
                refillTokens,
                Duration.ofNanos(nanos),
                kinds,
                perItem,
                weight);
    }
}
