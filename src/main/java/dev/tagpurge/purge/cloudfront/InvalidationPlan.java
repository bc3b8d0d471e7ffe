package dev.tagpurge.purge.cloudfront;

import java.util.List;

/**
 * One CreateInvalidation call, before the SDK request is built. It holds no credentials, so it is
 * safe to log and compare in tests.
 *
 * @param callerReference the idempotency token, derived from the batch id and the paths
 * @param paths the invalidation paths and {@code #tag} items, in request order
 * @param wildcards how many of the paths end in {@code *}
 */
record InvalidationPlan(String callerReference, List<String> paths, int wildcards) {

    InvalidationPlan {
        paths = List.copyOf(paths);
    }

    /** Items as CloudFront counts and bills them: every path, wildcard and tag is one. */
    int items() {
        return paths.size();
    }
}
