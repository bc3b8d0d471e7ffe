package dev.tagpurge.admin;

import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.purge.AffectedKeys;
import dev.tagpurge.purge.BilledPaths;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.TargetPipeline;
import dev.tagpurge.purge.TargetRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a {@link PurgePreview}: for each target the selectors it would take, the requests after
 * splitting by its batch limits, the Redis keys affected, CloudFront paths and their cost, and its
 * queue. Sends nothing to any provider; Redis is only read (SCARD, SCAN, DBSIZE).
 */
public final class PurgePreviews {

    /** Rejected selectors listed per target; the count covers the rest. */
    static final int SHOWN = 10;

    /** AWS's free invalidation paths per month (then {@link #USD_PER_PATH} each). */
    public static final int FREE_PATHS = 1000;

    /** AWS's price per invalidation path past the free ones. */
    public static final double USD_PER_PATH = 0.005;

    /** Longest wait for Redis to count keys. */
    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    /** The runbook's checklist before purging everything. */
    public static final List<String> EVERYTHING_CHECKLIST =
            List.of(
                    "Origin load: every object is fetched from the origin again; check the origin"
                            + " can take the full miss traffic (autoscaling, rate limits, database).",
                    "Sessions and application caches: a Redis target loses every key of its"
                            + " namespace, sessions and application caches kept there included.",
                    "Off-peak: purge everything outside peak hours unless the incident forbids"
                            + " waiting, and warn the on-call of the origin first.",
                    "Narrower first: a tag, URL or prefix purge that covers the problem is"
                            + " cheaper; everything is the last resort.",
                    "Escalate if it recurs: a second everything on a target within 30 minutes"
                            + " raises TagpurgeEverythingPurgedRepeatedly.");

    private final PurgeDispatcher dispatcher;

    public PurgePreviews(PurgeDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    public PurgePreview preview(PurgeOrder order, Optional<Problem> refusal) {
        List<PurgePreview.TargetPreview> targets = new ArrayList<>();
        for (String name : order.targets()) {
            TargetPipeline pipeline = dispatcher.pipelines().get(name);
            if (pipeline != null) {
                targets.add(target(order, pipeline, dispatcher.route(name)));
            }
        }
        return new PurgePreview(
                true,
                order.field(),
                order.items(),
                order.mode().label(),
                order.targets(),
                order.everything() ? order.expectedConfirm() : null,
                refusal.isEmpty(),
                refusal.orElse(null),
                order.everything() ? EVERYTHING_CHECKLIST : null,
                targets);
    }

    private PurgePreview.TargetPreview target(
            PurgeOrder order, TargetPipeline pipeline, TargetRoute route) {
        Purger purger = pipeline.purger();
        List<Selector> taken = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        int notRouted = 0;
        int rejectedCount = 0;
        for (Selector s : order.selectorList()) {
            if (!route.accepts(s)) {
                notRouted++;
                continue;
            }
            Optional<String> reason = purger.rejectReason(s, order.mode());
            if (reason.isPresent()) {
                rejectedCount++;
                if (rejected.size() < SHOWN) {
                    rejected.add(label(s) + ": " + reason.get());
                }
                continue;
            }
            taken.add(s);
        }
        if (rejectedCount > rejected.size()) {
            rejected.add("… and " + (rejectedCount - rejected.size()) + " more");
        }
        RequestLimits limits = purger.limits();
        int perRequest = limits.maxItems(order.kind());
        int requests = requests(taken, perRequest, limits.maxBytes());
        PurgePreview.RedisKeys keys = null;
        if ("redis".equals(purger.provider()) && !taken.isEmpty()) {
            keys = redisKeys(purger, order, taken);
        }
        PurgePreview.CloudFrontCost cost = null;
        if ("cloudfront".equals(purger.provider())) {
            cost = cloudFrontCost(taken.size(), billedPaths(purger));
        }
        String wait =
                pipeline.pendingSelectors() == 0 && pipeline.inFlight() == 0
                        ? "none expected: the target is idle (a provider's Retry-After or an"
                                + " empty bucket would still hold it)"
                        : "unknown: operator purges go ahead of the "
                                + pipeline.pendingSelectors()
                                + " pending selectors, but wait for a free request slot and"
                                + " rate-limit tokens";
        return new PurgePreview.TargetPreview(
                pipeline.name(),
                purger.provider(),
                taken.size(),
                notRouted,
                rejected.isEmpty() ? null : rejected,
                requests,
                perRequest,
                keys,
                cost,
                new PurgePreview.RateLimitView(
                        pipeline.pendingSelectors(),
                        pipeline.inFlight(),
                        "not exposed by the rate limiter",
                        wait));
    }

    /**
     * Requests after splitting: as the coalescing window fills them, up to {@code perRequest} items
     * and {@code maxBytes} of body each.
     */
    static int requests(List<Selector> selectors, int perRequest, int maxBytes) {
        int requests = 0;
        int count = 0;
        long bytes = 0;
        for (Selector s : selectors) {
            int b = RequestLimits.bodyBytes(s);
            if (count == 0 || count >= perRequest || bytes + b > maxBytes) {
                requests++;
                count = 0;
                bytes = 0;
            }
            count++;
            bytes += b;
        }
        return requests;
    }

    /**
     * The cost of {@code paths} more: given the month's count when there is one, and at both ends
     * of the free tier, which AWS shares between all distributions of the account.
     */
    static PurgePreview.CloudFrontCost cloudFrontCost(int paths, Optional<BilledPaths> billed) {
        return new PurgePreview.CloudFrontCost(
                paths,
                billed.map(BilledPaths::paths).orElse(null),
                billed.map(BilledPaths::countedBy).orElse("not counted: no answer in time"),
                FREE_PATHS,
                USD_PER_PATH,
                billed.map(b -> round(b.costOfMoreUsd(paths))).orElse(null),
                round(Math.max(0, paths - FREE_PATHS) * USD_PER_PATH),
                round(paths * USD_PER_PATH));
    }

    private static Optional<BilledPaths> billedPaths(Purger purger) {
        try {
            return purger.billedPathsThisMonth().await().atMost(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static PurgePreview.RedisKeys redisKeys(
            Purger purger, PurgeOrder order, List<Selector> taken) {
        try {
            Optional<AffectedKeys> counted =
                    purger.affectedKeys(order.kind(), taken.stream().map(Selector::value).toList())
                            .await()
                            .atMost(REDIS_TIMEOUT);
            return counted.map(c -> new PurgePreview.RedisKeys(c.keys(), c.exact(), c.method()))
                    .orElse(new PurgePreview.RedisKeys(null, false, "Redis could not count"));
        } catch (RuntimeException e) {
            return new PurgePreview.RedisKeys(
                    null, false, "Redis did not answer within " + REDIS_TIMEOUT.toSeconds() + " s");
        }
    }

    private static String label(Selector s) {
        return s instanceof Selector.Everything ? "everything" : OrderParser.shorten(s.value(), 80);
    }

    private static double round(double usd) {
        return Math.round(usd * 1000) / 1000.0;
    }
}
