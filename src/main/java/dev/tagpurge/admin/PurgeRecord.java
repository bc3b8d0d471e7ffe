package dev.tagpurge.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One operator purge as {@code GET /api/purges/{id}} shows it.
 *
 * @param status {@code accepted} while any target is still at work, then {@code succeeded}, {@code
 *     partial} or {@code failed}; {@code interrupted} when the service stopped before its outcome
 *     was recorded (read back from the audit topic)
 * @param values the first {@value AuditRecord#MAX_VALUES} values; {@code items} counts them all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PurgeRecord(
        String id,
        String status,
        Instant createdAt,
        Instant completedAt,
        String actor,
        String ticket,
        String reason,
        String selectorKind,
        int items,
        List<String> values,
        List<String> targets,
        String scope,
        String mode,
        List<TargetOutcome> targetOutcomes) {

    /** Still at work. */
    public static final String ACCEPTED = "accepted";

    /** Its outcome was never recorded: the service stopped first. */
    public static final String INTERRUPTED = "interrupted";

    public PurgeRecord withOutcome(
            String newStatus, Instant completed, List<TargetOutcome> outcomes) {
        return new PurgeRecord(
                id,
                newStatus,
                createdAt,
                completed,
                actor,
                ticket,
                reason,
                selectorKind,
                items,
                values,
                targets,
                scope,
                mode,
                outcomes);
    }

    /**
     * One target's part.
     *
     * @param status {@code accepted} (at work), {@code succeeded}, {@code failed}, {@code rejected}
     *     (the target can take none of the selectors) or {@code skipped} (its hosts or tag-prefixes
     *     route none of them to it)
     * @param purgeIds the provider's ids: Fastly's purge ids, Cloudflare's and Akamai's purge ids,
     *     CloudFront's invalidation ids, Redis' count of keys removed (at most 5)
     * @param invalidationStatus CloudFront only: {@code Completed} once succeeded (the adapter
     *     answers only when GetInvalidation says so), else {@code InProgress}
     * @param estimatedSeconds Akamai only: Fast Purge's estimate of the seconds until the purge has
     *     reached the whole network (the longest of its requests'), once accepted
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetOutcome(
            String target,
            String provider,
            String status,
            Integer selectors,
            Integer requests,
            Integer attempts,
            List<String> purgeIds,
            String invalidationStatus,
            String error,
            Instant completedAt,
            Long estimatedSeconds) {}
}
