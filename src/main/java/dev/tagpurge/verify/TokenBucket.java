package dev.tagpurge.verify;

/**
 * A small local token bucket: {@code rate} tokens a second, at most {@code rate} saved up. Not
 * thread-safe: each target's probes take from it on the verifier's one thread.
 */
final class TokenBucket {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final int capacity;
    private final long nanosPerToken;
    private double tokens;
    private long refilledAt;

    TokenBucket(int rate, long nowNanos) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1 a second, was " + rate);
        }
        this.capacity = rate;
        this.nanosPerToken = SECOND_NANOS / rate;
        this.tokens = rate;
        this.refilledAt = nowNanos;
    }

    /** Takes a token and returns 0, or returns the nanoseconds until one is there (taking none). */
    long tryTake(long nowNanos) {
        if (nowNanos > refilledAt) {
            tokens = Math.min(capacity, tokens + (double) (nowNanos - refilledAt) / nanosPerToken);
            refilledAt = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
    }
}
