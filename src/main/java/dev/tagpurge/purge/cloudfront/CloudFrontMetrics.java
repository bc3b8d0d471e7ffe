package dev.tagpurge.purge.cloudfront;

/**
 * The CloudFront adapter's own metrics. Micrometer names; Prometheus shows dots as underscores and
 * counters with {@code _total}. Tagged with {@code target} only.
 */
public final class CloudFrontMetrics {

    /**
     * Gauge {@code tagpurge_cloudfront_invalidations_in_progress{target}}: invalidations this
     * replica created and has not yet seen Completed (or given up on).
     */
    public static final String INVALIDATIONS_IN_PROGRESS =
            "tagpurge.cloudfront.invalidations.in.progress";

    /**
     * Counter {@code tagpurge_cloudfront_paths_billed_total{target}}: paths in invalidations
     * CloudFront created, as CloudFront bills them (a wildcard or a tag is one path). An idempotent
     * repeat of a batch this replica still tracks is not counted again.
     */
    public static final String PATHS_BILLED = "tagpurge.cloudfront.paths.billed";

    private CloudFrontMetrics() {}
}
