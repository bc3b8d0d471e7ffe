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
     * The target's queue and rate-limit budget as the pipeline and its limiter see them now.
     *
     * @param pendingSelectors selectors of events and operator purges waiting on this target
     * @param aheadSelectors of those, operator selectors in the priority lane: sent before this
     *     purge, everything else after it
     * @param inFlightRequests requests out at the provider (their tokens are taken already)
     * @param budget the buckets this purge's requests count against; null when the limiter did not
     *     answer
     * @param expectedWait when this purge's requests get their tokens; null without a budget
     */
    public record RateLimitView(
            int pendingSelectors,
            int aheadSelectors,
            int inFlightRequests,
            BudgetView budget,
            ExpectedWait expectedWait) {}

    /**
     * @param source where the counts come from: {@code local}, {@code shared in Redis}, {@code
     *     local share (Redis did not answer)}, {@code unlimited}
     * @param unlimited whether no bucket limits this purge's requests
     * @param buckets each bucket it counts against
     */
    public record BudgetView(String source, boolean unlimited, List<BucketView> buckets) {}

    /**
     * @param bucket the bucket's name ({@code rate-limits.<name>} in the configuration)
     * @param tokensAvailable tokens left now, after refill (the limiter's margin applied)
     * @param capacity the most tokens it holds
     * @param refillPerSecond tokens it gains per second
     * @param tokensThisPurgeNeeds what this purge's requests take from it together
     */
    public record BucketView(
            String bucket,
            double tokensAvailable,
            long capacity,
            double refillPerSecond,
            long tokensThisPurgeNeeds) {}

    /**
     * An estimate from the tokens now, the refill rates, this purge's requests and the operator
     * selectors ahead of it; a provider's Retry-After or a full set of requests in flight adds to
     * it.
     *
     * @param firstRequestSeconds until its first request has its tokens
     * @param lastRequestSeconds until its last request has them
     * @param basis what the estimate counted, in words
     */
    public record ExpectedWait(
            double firstRequestSeconds, double lastRequestSeconds, String basis) {}
}
