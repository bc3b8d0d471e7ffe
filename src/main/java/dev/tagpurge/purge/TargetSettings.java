package dev.tagpurge.purge;

import java.time.Duration;

/** The pipeline settings of one target, resolved from configuration and validated at start-up. */
public record TargetSettings(
        Duration linger,
        int maxPending,
        int maxInFlight,
        Duration requestTimeout,
        RetryPolicy retry) {

    public TargetSettings {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("tagpurge.coalesce.linger must not be negative");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("tagpurge.coalesce.max-pending must be at least 1");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max-in-flight must be at least 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("tagpurge.purge.request-timeout must be positive");
        }
    }
}
