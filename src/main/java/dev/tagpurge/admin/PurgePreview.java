package dev.tagpurge.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a purge would do, target by target, without doing it ({@code dryRun: true}).
 *
 * @param confirm what {@code confirm} must say to execute it (everything only)
 * @param allowed whether the same request without {@code dryRun} would be executed now
 * @param refusal why not, when it would not
 * @param impact the runbook's checklist before purging everything (everything only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PurgePreview(
        boolean dryRun,
        String selectorKind,
        int items,
        String mode,
        List<String> targets,
        String confirm,
        boolean allowed,
        Problem refusal,
        List<String> impact,
        List<TargetPreview> perTarget) {

    /**
     * One target's share.
     *
     * @param selectors selectors this target would receive (after its routing and what it can take)
     * @param notRouted selectors its {@code hosts} / {@code tag-prefixes} keep from it
     * @param rejected selectors it cannot take, with why (at most {@value PurgePreviews#SHOWN})
     * @param requests provider requests after splitting by its batch limits
     * @param perRequest the most items one request carries
     * @param redisKeys keys a Redis target would remove
     * @param cloudFront paths and cost of a CloudFront target
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetPreview(
            String target,
            String provider,
            int selectors,
            int notRouted,
            List<String> rejected,
            int requests,
            int perRequest,
            RedisKeys redisKeys,
            CloudFrontCost cloudFront,
            RateLimitView rateLimit) {}

    /**
     * @param keys count or estimate, null when Redis could not be asked
     * @param exact whether {@code keys} is exact
     * @param method how it was counted
     */
    public record RedisKeys(Long keys, boolean exact, String method) {}

    /**
     * @param paths invalidation paths (a wildcard counts as one; before any wildcard collapse)
     * @param pathsBilledThisMonth paths sent to the distribution this calendar month (UTC), null
     *     when they could not be counted
     * @param countedBy who counted them: every replica in Redis, or this replica alone
     * @param freePathsPerMonth AWS's free invalidation paths per month, per account
     * @param usdPerPath the price of each path past them
     * @param estimatedCostUsd the cost of this purge given the paths billed this month, if this
     *     distribution alone used the account's free paths; null when not counted
     * @param estimatedCostUsdIfFreeTierUnused the cost if none of this month's free paths are used
     * @param estimatedCostUsdIfFreeTierSpent the cost if they all are
     */
    public record CloudFrontCost(
            int paths,
            Long pathsBilledThisMonth,
            String countedBy,
            int freePathsPerMonth,
            double usdPerPath,
            Double estimatedCostUsd,
            double estimatedCostUsdIfFreeTierUnused,
            double estimatedCostUsdIfFreeTierSpent) {}

    /**
     * The target's queue as the pipeline sees it. The rate limiter does not expose its tokens, so
     * the wait is not predicted: {@code tokens} says so.
     *
     * @param pendingSelectors selectors of events waiting on this target
     * @param inFlightRequests requests out at the provider
     * @param tokens what the limiter tells of its budget
     * @param expectedWait the expected wait before the first request, or what is known of it
     */
    public record RateLimitView(
            int pendingSelectors, int inFlightRequests, String tokens, String expectedWait) {}
}
