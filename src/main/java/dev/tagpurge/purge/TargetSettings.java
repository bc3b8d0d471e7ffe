package dev.tagpurge.purge;

import java.time.Duration;

/**
 * The pipeline settings of one target, resolved from configuration and validated at start-up.
 *
 * @param maxLinger how long a partly full request may wait for more selectors while its rate
 *     limiter has no token to spare for it; equal to {@code linger}: never past the linger
 * @param layer the cache layer, inner first: see {@link PurgeDispatcher}
 * @param layerDelay the wait after the lower layers finished before this target's selectors enter
 *     its window
 * @param repurgeAfter the delay of the second purge of every accepted selector; zero is off
 * @param repurgeMaxPending the most selectors waiting for their second purge
 * @param repurgeDeadline how long a second purge may wait for tokens, a slot or retries once due
 */
public record TargetSettings(
        Duration linger,
        Duration maxLinger,
        int maxPending,
        int maxInFlight,
        Duration requestTimeout,
        RetryPolicy retry,
        int layer,
        Duration layerDelay,
        Duration repurgeAfter,
        int repurgeMaxPending,
        Duration repurgeDeadline) {

    /** No linger stretching, layer 0, no layer delay and no second purge. */
    public TargetSettings(
            Duration linger,
            int maxPending,
            int maxInFlight,
            Duration requestTimeout,
            RetryPolicy retry) {
        this(
                linger,
                linger,
                maxPending,
                maxInFlight,
                requestTimeout,
                retry,
                0,
                Duration.ZERO,
                Duration.ZERO,
                0,
                Duration.ofMinutes(15));
    }

    public TargetSettings {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("tagpurge.coalesce.linger must not be negative");
        }
        if (maxLinger.compareTo(linger) < 0) {
            throw new IllegalArgumentException(
                    "tagpurge.coalesce.max-linger must not be shorter than tagpurge.coalesce.linger");
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
        if (layer < 0) {
            throw new IllegalArgumentException("layer must not be negative");
        }
        if (layerDelay.isNegative()) {
            throw new IllegalArgumentException("layer-delay must not be negative");
        }
        if (repurgeAfter.isNegative()) {
            throw new IllegalArgumentException("repurge-after must not be negative");
        }
        if (!repurgeAfter.isZero() && repurgeMaxPending < 1) {
            throw new IllegalArgumentException("repurge-max-pending must be at least 1");
        }
    }

    /** Whether accepted selectors are purged a second time. */
    public boolean repurges() {
        return !repurgeAfter.isZero();
    }
}
