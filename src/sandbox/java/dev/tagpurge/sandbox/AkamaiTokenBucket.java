package dev.tagpurge.sandbox;

import java.time.Duration;

/**
 * One of Akamai's account-wide token buckets: at most {@code burst} tokens, refilled continuously
 * at {@code refill} per {@code period}. Not thread-safe; {@link AkamaiRateLimits} guards it, so
 * that a request is checked against two buckets atomically.
 */
final class AkamaiTokenBucket {

    private final AkamaiEmulatorSettings.Bucket spec;
    private final double tokensPerNano;
    private double tokens;
    private long lastNanos;
    private boolean started;

    AkamaiTokenBucket(AkamaiEmulatorSettings.Bucket spec) {
        this.spec = spec;
        this.tokensPerNano = (double) spec.refill() / spec.period().toNanos();
    }

    /** Adds what was refilled since the last call, up to the burst; a new bucket starts full. */
    void refill(long nowNanos) {
        if (!started) {
            started = true;
            tokens = spec.burst();
        } else if (nowNanos > lastNanos) {
            tokens = Math.min(spec.burst(), tokens + (nowNanos - lastNanos) * tokensPerNano);
        }
        lastNanos = Math.max(lastNanos, nowNanos);
    }

    boolean has(long count) {
        return tokens >= count;
    }

    void take(long count) {
        tokens -= count;
    }

    long burst() {
        return spec.burst();
    }

    /** Whole tokens left. */
    long remaining() {
        return (long) Math.floor(tokens);
    }

    /**
     * How long until {@code count} tokens are there (capped at the burst: a request larger than the
     * bucket is never admitted, the wait is until the bucket is full).
     */
    Duration timeUntil(long count) {
        double missing = Math.min(count, spec.burst()) - tokens;
        return missing <= 0
                ? Duration.ZERO
                : Duration.ofNanos((long) Math.ceil(missing / tokensPerNano));
    }

    /** Back to a full bucket. */
    void reset() {
        started = false;
        tokens = 0;
        lastNanos = 0;
    }
}
