package dev.tagpurge.purge;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.ratelimit.BucketRule;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The port every provider adapter implements: it turns one {@link PurgeRequest} into the provider's
 * API call(s) and maps the answer to a {@link PurgeResult}.
 *
 * <p>A batch arrives already coalesced (deduplicated, subsumed) and sized within {@link #limits()}.
 * The returned {@code Uni} must never fail: transport errors become {@link PurgeResult.Retryable},
 * client errors {@link PurgeResult.Permanent}. The pipeline owns retries, timeouts, rate limits and
 * in-flight bounds; an adapter sends what it is given, once.
 */
public interface Purger {

    /** The provider name as configured: {@code fastly}, {@code redis}, … */
    String provider();

    /** Per-request limits of this target. */
    RequestLimits limits();

    /** Whether this provider compares tags case-insensitively (so dedup may fold case). */
    boolean caseInsensitiveTags();

    /**
     * Why this target cannot take a selector at all (unsupported kind, tag too long for the
     * provider, relative URL without a host), or empty when it can. Rejected selectors are reported
     * as {@code rejected} for this target in the completion event, never rewritten.
     */
    Optional<String> rejectReason(Selector selector, PurgeMode mode);

    /**
     * What this target sends the provider for a selector it accepts (see {@link #rejectReason}): a
     * URL normalised, a path completed with the target's host, a CloudFront path; the value itself
     * by default. For explanations: the adapters build their requests with the same functions.
     */
    default String sentAs(Selector selector) {
        return selector.value();
    }

    /**
     * Concurrent requests this target allows when {@code max-in-flight} is not configured. A
     * provider whose request completes only when the purge has (CloudFront) wants more.
     */
    default int defaultMaxInFlight() {
        return 4;
    }

    /**
     * The cache layer of this target when {@code tagpurge.targets.<name>.layer} is not set: 1, a
     * CDN; an application cache that a CDN refills from says 0, so that it is purged first.
     */
    default int defaultLayer() {
        return 1;
    }

    /**
     * How long one request may take before the pipeline gives up and retries it, when this provider
     * needs longer than {@code tagpurge.purge.request-timeout}: CloudFront's request lasts until
     * the invalidation is Completed.
     */
    default Optional<Duration> requestTimeout() {
        return Optional.empty();
    }

    /**
     * The provider's documented rate limits for this target as token buckets, which {@code
     * tagpurge.targets.<name>.rate-limits.<bucket>.*} may override; none by default.
     */
    default List<BucketRule> rateLimits() {
        return List.of();
    }

    /**
     * For a preview: how many keys purging {@code values} of {@code kind} would remove, when this
     * target can tell without removing anything; empty when it cannot (a CDN counts nothing).
     */
    default Uni<Optional<AffectedKeys>> affectedKeys(SelectorKind kind, List<String> values) {
        return Uni.createFrom().item(Optional.empty());
    }

    /**
     * For a preview and the cost metrics: the paths this target's provider bills per path has been
     * sent this month; empty when the provider does not bill per path. Never fails: a count that
     * cannot be read from its shared store is this replica's own, and says so.
     */
    default Uni<Optional<BilledPaths>> billedPathsThisMonth() {
        return Uni.createFrom().item(Optional.empty());
    }

    /** Sends one request. Never fails; see the class comment. */
    Uni<PurgeResult> purge(PurgeRequest request);
}
