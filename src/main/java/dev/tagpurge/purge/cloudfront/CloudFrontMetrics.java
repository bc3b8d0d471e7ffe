package dev.tagpurge.purge.cloudfront;

/**
 * The CloudFront adapter's own metrics. Micrometer names; Prometheus shows dots as underscores and
 * counters with {@code _total}. Tagged with {@code target}, the cost gauges also with {@code
 * distribution}.
 */
public final class CloudFrontMetrics {

    /**
     * Gauge {@code tagpurge_cloudfront_invalidations_in_progress{target}}: invalidations this
     * replica created and has not yet seen Completed (or given up on).
     */
    public static final String INVALIDATIONS_IN_PROGRESS =
            "tagpurge.cloudfront.invalidations.in.progress";

    /**
     * Gauge {@code tagpurge_cloudfront_paths_billed{target,distribution}}: paths submitted to the
     * distribution this calendar month (UTC) in invalidations CloudFront created, as CloudFront
     * bills them (a wildcard or a tag is one path), counted by every replica together in Redis
     * ({@link MonthlyPathCount}). Every replica reports the same total: aggregate with {@code max}.
     * An idempotent repeat of a batch this replica still tracks is not counted again.
     */
    public static final String PATHS_BILLED = "tagpurge.cloudfront.paths.billed";

    /**
     * Gauge {@code tagpurge_cloudfront_estimated_cost_usd{target,distribution}}: {@link
     * #PATHS_BILLED} past the 1,000 free paths, at $0.005 each. The free paths are per AWS account,
     * not per distribution: this gives them all to this distribution, so with other distributions
     * or tools invalidating in the account it is a lower bound of what these paths cost (the upper
     * bound is every path at $0.005).
     */
    public static final String ESTIMATED_COST = "tagpurge.cloudfront.estimated.cost.usd";

    /**
     * Gauge {@code tagpurge_cloudfront_budget_usd{target,distribution}}: the target's {@code
     * monthly-budget-usd}, only when set; the alert compares {@link #ESTIMATED_COST} with it.
     */
    public static final String BUDGET = "tagpurge.cloudfront.budget.usd";

    private CloudFrontMetrics() {}
}
