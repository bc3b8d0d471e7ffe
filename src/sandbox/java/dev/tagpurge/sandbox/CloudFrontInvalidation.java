package dev.tagpurge.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * One invalidation the CloudFront emulator created.
 *
 * @param distributionId the distribution it belongs to
 * @param id its id, e.g. {@code I2J0I21PCUYOIK}
 * @param callerReference the CallerReference it was created with
 * @param paths its paths and {@code #tag} items, as received
 * @param createTime when it was created
 * @param completeTime when its status turns from {@code InProgress} to {@code Completed}
 */
public record CloudFrontInvalidation(
        String distributionId,
        String id,
        String callerReference,
        List<String> paths,
        Instant createTime,
        Instant completeTime) {

    /** CloudFront's status while edges are still invalidating. */
    public static final String IN_PROGRESS = "InProgress";

    /** CloudFront's status once the invalidation is done everywhere. */
    public static final String COMPLETED = "Completed";

    public CloudFrontInvalidation {
        paths = List.copyOf(paths);
    }

    /** {@link #IN_PROGRESS} before {@link #completeTime()}, {@link #COMPLETED} from then on. */
    public String status(Instant now) {
        return now.isBefore(completeTime) ? IN_PROGRESS : COMPLETED;
    }

    /** Whether it still counts against the in-progress limits at {@code now}. */
    public boolean inProgress(Instant now) {
        return now.isBefore(completeTime);
    }

    /** How many of its paths end in {@code *} (tags never do). */
    public int wildcards() {
        return (int) paths.stream().filter(CloudFrontInvalidation::isWildcard).count();
    }

    static boolean isWildcard(String path) {
        return !path.startsWith("#") && path.endsWith("*");
    }
}
