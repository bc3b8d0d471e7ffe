package dev.tagpurge.sandbox;

import java.time.Duration;

/**
 * How the CloudFront emulator behaves.
 *
 * @param completionDelay how long a new invalidation stays {@code InProgress} before it is {@code
 *     Completed}; CloudFront's P95 is under 25 s, the default is 2 s so local runs stay quick
 * @param maxPathsInProgress paths and tags in progress per distribution; CloudFront's is 3,000
 * @param maxWildcardsInProgress wildcard paths in progress per distribution; CloudFront's is 15
 */
public record CloudFrontEmulatorSettings(
        Duration completionDelay, int maxPathsInProgress, int maxWildcardsInProgress) {

    /** The default time an invalidation stays InProgress. */
    public static final Duration DEFAULT_COMPLETION_DELAY = Duration.ofSeconds(2);

    /** CloudFront's documented limit of paths and tags in progress per distribution. */
    public static final int DEFAULT_MAX_PATHS_IN_PROGRESS = 3000;

    /** CloudFront's documented limit of wildcard paths in progress per distribution. */
    public static final int DEFAULT_MAX_WILDCARDS_IN_PROGRESS = 15;

    public CloudFrontEmulatorSettings {
        if (completionDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "completion delay must not be negative, was " + completionDelay);
        }
        if (maxPathsInProgress < 1 || maxWildcardsInProgress < 1) {
            throw new IllegalArgumentException("in-progress limits must be positive");
        }
    }

    /** 2 s to Completed, 3,000 paths and 15 wildcards in progress per distribution. */
    public static CloudFrontEmulatorSettings defaults() {
        return new CloudFrontEmulatorSettings(
                DEFAULT_COMPLETION_DELAY,
                DEFAULT_MAX_PATHS_IN_PROGRESS,
                DEFAULT_MAX_WILDCARDS_IN_PROGRESS);
    }

    public CloudFrontEmulatorSettings withCompletionDelay(Duration delay) {
        return new CloudFrontEmulatorSettings(delay, maxPathsInProgress, maxWildcardsInProgress);
    }

    public CloudFrontEmulatorSettings withMaxPathsInProgress(int max) {
        return new CloudFrontEmulatorSettings(completionDelay, max, maxWildcardsInProgress);
    }

    public CloudFrontEmulatorSettings withMaxWildcardsInProgress(int max) {
        return new CloudFrontEmulatorSettings(completionDelay, maxPathsInProgress, max);
    }
}
