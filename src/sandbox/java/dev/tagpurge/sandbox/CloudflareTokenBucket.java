package dev.tagpurge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket as Cloudflare describes its purge limits: starts full, refills smoothly, and a
 * denied request consumes nothing. Integer arithmetic (one token = {@code refillPeriod} in
 * nanoseconds of units), so a test clock moved by exactly one period yields exactly the refill.
 * Thread-safe.
 */
final class CloudflareTokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * The outcome of one acquisition.
     *
     * @param allowed whether the request may proceed
     * @param limit the bucket's capacity, for {@code x-ratelimit-limit}
     * @param remaining whole tokens left after this request, for {@code x-ratelimit-remaining}
     * @param retryAfter when a denied request could pass, rounded up to whole seconds (zero when
     *     allowed)
     */
    record Outcome(boolean allowed, int limit, long remaining, Duration retryAfter) {}

    private final CloudflareEmulatorSettings.Bucket bucket;
    private final Clock clock;
    private final long unitsPerToken;
    private final long capacityUnits;
    private final long fillNanos;
    private long units;
    private Instant last;

    CloudflareTokenBucket(CloudflareEmulatorSettings.Bucket bucket, Clock clock) {
        this.bucket = bucket;
        this.clock = clock;
        this.unitsPerToken = bucket.refillPeriod().toNanos();
        this.capacityUnits = Math.multiplyExact(bucket.capacity(), unitsPerToken);
        this.fillNanos = ceilDiv(capacityUnits, bucket.refillTokens());
        this.units = capacityUnits;
        this.last = clock.instant();
    }

    /**
     * Takes {@code cost} tokens if the bucket holds them. A cost above the capacity needs a full
     * bucket, so that an oversized request is throttled, not refused forever.
     */
    synchronized Outcome tryTake(int cost) {
        refill();
        long needed = Math.min(Math.max(cost, 1), bucket.capacity()) * unitsPerToken;
        if (units >= needed) {
            units -= needed;
            return new Outcome(true, bucket.capacity(), units / unitsPerToken, Duration.ZERO);
        }
        long waitNanos = ceilDiv(needed - units, bucket.refillTokens());
        long seconds = Math.max(1, ceilDiv(waitNanos, NANOS_PER_SECOND));
        return new Outcome(
                false, bucket.capacity(), units / unitsPerToken, Duration.ofSeconds(seconds));
    }

    private void refill() {
        Instant now = clock.instant();
        if (!now.isAfter(last)) {
            return;
        }
        long elapsed = Duration.between(last, now).toNanos();
        last = now;
        // Below fillNanos the product stays below capacityUnits + refillTokens: no overflow.
        units =
                elapsed >= fillNanos
                        ? capacityUnits
                        : Math.min(capacityUnits, units + elapsed * bucket.refillTokens());
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
