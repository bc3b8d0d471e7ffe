package dev.tagpurge.purge;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the n-th retry waits a uniform random time in [0, min(cap, initial × 2^(n-1))]. A provider's own
 * Retry-After wins when it asks for longer.
 */
public record RetryPolicy(Duration initial, Duration cap) {

    /**
     * @param attempt how many times the selectors were sent already (1 after the first failure)
     * @param retryAfter the provider's hint, if any
     */
    public long backoffNanos(int attempt, Optional<Duration> retryAfter) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.min(cap.toNanos(), initial.toNanos() << shift);
        long jittered = ThreadLocalRandom.current().nextLong(ceiling + 1);
        return Math.max(jittered, retryAfter.map(RetryPolicy::saturatedNanos).orElse(0L));
    }

    /** {@link Duration#toNanos()} without its overflow: a provider's hint may be absurdly long. */
    static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }
}
