package dev.tagpurge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A request budget per fixed clock window (Fastly: 1000 counted calls per hour), as providers that
 * report {@code RateLimit-Remaining} and {@code RateLimit-Reset} implement it. Thread-safe.
 */
final class FixedWindowLimit {

    /**
     * The outcome of one acquisition.
     *
     * @param allowed whether the call may proceed
     * @param remaining calls left in the window after this one
     * @param reset when the window ends and the budget refills
     */
    record Outcome(boolean allowed, int remaining, Instant reset) {}

    private final int limit;
    private final long windowSeconds;
    private final Clock clock;
    private long window = Long.MIN_VALUE;
    private int used;

    FixedWindowLimit(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowSeconds = window.toSeconds();
        this.clock = clock;
    }

    /** Counts one call if the window has budget left. A denied call consumes nothing. */
    synchronized Outcome tryAcquire() {
        long now = clock.instant().getEpochSecond();
        long current = Math.floorDiv(now, windowSeconds);
        if (current != window) {
            window = current;
            used = 0;
        }
        Instant reset = Instant.ofEpochSecond((current + 1) * windowSeconds);
        if (used >= limit) {
            return new Outcome(false, 0, reset);
        }
        used++;
        return new Outcome(true, limit - used, reset);
    }
}
