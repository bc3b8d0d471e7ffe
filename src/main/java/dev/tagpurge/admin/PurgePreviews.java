package dev.tagpurge.admin;

import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.AffectedKeys;
import dev.tagpurge.purge.BilledPaths;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.TargetPipeline;
import dev.tagpurge.purge.TargetRoute;
import dev.tagpurge.ratelimit.Budget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a {@link PurgePreview}: for each target the selectors it would take, the requests after
 * splitting by its batch limits, the Redis keys affected, CloudFront paths and their cost, its
 * queue, its rate-limit budget and the expected wait. Sends nothing to any provider and takes no
 * token; Redis is only read (SCARD, SCAN, DBSIZE, and a read-only script over shared buckets).
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
        PurgePreview.RedisKeys keys = null;
        if ("redis".equals(purger.provider()) && !taken.isEmpty()) {
            keys = redisKeys(purger, order, taken);
        }
        PurgePreview.CloudFrontCost cost = null;
        if ("cloudfront".equals(purger.provider())) {
            cost = cloudFrontCost(taken.size(), billedPaths(purger));
        }
        List<Integer> sizes = requestSizes(taken, perRequest, limits.maxBytes());
        return new PurgePreview.TargetPreview(
                pipeline.name(),
                purger.provider(),
                taken.size(),
                notRouted,
                rejected.isEmpty() ? null : rejected,
                sizes.size(),
                perRequest,
                keys,
                cost,
                rateLimit(pipeline, order.kind(), sizes, perRequest));
    }

    /** The target's queue, its limiter's budget for this purge, and the wait that follows. */
    private static PurgePreview.RateLimitView rateLimit(
            TargetPipeline pipeline, SelectorKind kind, List<Integer> sizes, int perRequest) {
        int ahead = pipeline.aheadSelectors();
        Budget budget;
        try {
            budget = pipeline.limiter().budget(kind).await().atMost(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            budget = null;
        }
        PurgePreview.BudgetView view = null;
        PurgePreview.ExpectedWait wait = null;
        if (budget != null) {
            List<Integer> aheadSizes = aheadRequests(ahead, perRequest);
            view = budgetView(budget, kind, sizes);
            wait = expectedWait(budget, kind, sizes, aheadSizes, pipeline.inFlight());
        }
        return new PurgePreview.RateLimitView(
                pipeline.pendingSelectors(), ahead, pipeline.inFlight(), view, wait);
    }

    static PurgePreview.BudgetView budgetView(
            Budget budget, SelectorKind kind, List<Integer> sizes) {
        List<PurgePreview.BucketView> buckets = new ArrayList<>();
        for (Budget.BucketBudget b : budget.buckets()) {
            buckets.add(
                    new PurgePreview.BucketView(
                            b.name(),
                            roundDown(b.tokens()),
                            b.capacity(),
                            round(b.refillPerSecond()),
                            sizes.stream().mapToLong(n -> b.cost(kind, n)).sum()));
        }
        return new PurgePreview.BudgetView(budget.source(), budget.unlimited(), buckets);
    }

    /**
     * The operator selectors ahead of this purge as requests: assumed of this purge's kind, so
     * counting against its buckets, {@code perRequest} to a request.
     */
    static List<Integer> aheadRequests(int aheadSelectors, int perRequest) {
        List<Integer> out = new ArrayList<>();
        for (int left = aheadSelectors; left > 0; left -= perRequest) {
            out.add(Math.min(left, perRequest));
        }
        return out;
    }

    /**
     * When this purge's requests get their tokens: every bucket they count against must first give
     * the requests ahead theirs, then this purge's, refilling at its rate from what it holds now.
     * The first request waits for {@code ahead + first - tokens} of the slowest bucket, the last
     * one for {@code ahead + all - tokens}, each divided by the bucket's refill per second (0 when
     * the tokens suffice). The buckets refill while the others are short, so the slowest bucket
     * sets the wait; a bucket that fills up while another holds the request only lengthens it,
     * which this estimate leaves out.
     *
     * @param sizes selectors in each of this purge's requests
     * @param aheadSizes selectors in each request ahead of it
     * @param inFlight requests out now (their tokens are taken; they only hold request slots)
     */
    static PurgePreview.ExpectedWait expectedWait(
            Budget budget,
            SelectorKind kind,
            List<Integer> sizes,
            List<Integer> aheadSizes,
            int inFlight) {
        String counted =
                sizes.size()
                        + (sizes.size() == 1 ? " request" : " requests")
                        + " after "
                        + aheadSizes.size()
                        + " operator "
                        + (aheadSizes.size() == 1 ? "request" : "requests")
                        + " ahead; "
                        + inFlight
                        + " in flight";
        if (budget.unlimited()) {
            return new PurgePreview.ExpectedWait(
                    0,
                    0,
                    "no rate limit applies; "
                            + counted
                            + " (a provider's Retry-After still would)");
        }
        if (sizes.isEmpty()) {
            return new PurgePreview.ExpectedWait(0, 0, "nothing to send");
        }
        double first = 0;
        double last = 0;
        for (Budget.BucketBudget b : budget.buckets()) {
            long ahead = aheadSizes.stream().mapToLong(n -> b.cost(kind, n)).sum();
            long firstCost = ahead + b.cost(kind, sizes.get(0));
            long allCost = ahead + sizes.stream().mapToLong(n -> b.cost(kind, n)).sum();
            double rate = b.refillPerSecond();
            first = Math.max(first, Math.max(0, firstCost - b.tokens()) / rate);
            last = Math.max(last, Math.max(0, allCost - b.tokens()) / rate);
        }
        return new PurgePreview.ExpectedWait(
                roundUp(first),
                roundUp(last),
                "tokens now and refill rates (" + budget.source() + "); " + counted);
    }

    /**
     * Requests after splitting: as the coalescing window fills them, up to {@code perRequest} items
     * and {@code maxBytes} of body each.
     */
    static int requests(List<Selector> selectors, int perRequest, int maxBytes) {
        return requestSizes(selectors, perRequest, maxBytes).size();
    }

    /** The selectors in each request after splitting, as {@link #requests} counts them. */
    static List<Integer> requestSizes(List<Selector> selectors, int perRequest, int maxBytes) {
        List<Integer> sizes = new ArrayList<>();
        int count = 0;
        long bytes = 0;
        for (Selector s : selectors) {
            int b = RequestLimits.bodyBytes(s);
            if (count == 0 || count >= perRequest || bytes + b > maxBytes) {
                if (count > 0) {
                    sizes.add(count);
                }
                count = 0;
                bytes = 0;
            }
            count++;
            bytes += b;
        }
        if (count > 0) {
            sizes.add(count);
        }
        return sizes;
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

    // a wait is never shown shorter than it is, nor a budget larger
    private static double roundUp(double seconds) {
        return Math.ceil(Math.max(0, seconds * 1000 - 1e-6)) / 1000.0;
    }

    private static double roundDown(double tokens) {
        return Math.floor(tokens * 1000 + 1e-6) / 1000.0;
    }
}
