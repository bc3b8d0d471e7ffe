package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.purge.BilledPaths;
import dev.tagpurge.purge.LogContext;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.cloudfront.CloudFrontAsyncClient;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.Invalidation;

/**
 * Invalidates one CloudFront distribution: URLs as paths, prefixes as {@code prefix*}, tags as
 * {@code #tag} items, everything as {@code /*}, all with CreateInvalidation; soft purges are sent
 * hard, as CloudFront only evicts.
 *
 * <p>A purge is {@link PurgeResult.Accepted} (with the invalidation id) only once GetInvalidation
 * says {@code Completed}: the adapter polls every {@code poll-interval} up to {@code
 * completion-timeout}. Before creating an invalidation it checks the target's in-progress budget
 * ({@link InProgressBudget}) and answers retryable {@code in-progress-limit} without calling
 * CloudFront when the invalidation would not fit.
 *
 * <p>Once started, an invalidation is followed to its end even if the caller stops waiting (a
 * request timeout cancels only the caller's view): the budget and the in-progress gauge stay true,
 * and a retry with the same CallerReference joins it instead of creating another.
 *
 * <p>The {@link CloudFrontAsyncClient} (with its endpoint override) is the test seam.
 */
public final class CloudFrontPurger implements Purger {

    /** Concurrent requests by default: each stays in flight until its invalidation completes. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 50;

    private static final Logger LOG = Logger.getLogger(CloudFrontPurger.class);

    private final CloudFrontSettings settings;
    private final CloudFrontAsyncClient client;
    private final InProgressBudget budget;
    private final CompletionPoller poller;
    private final MonthlyPathCount pathsBilled;

    CloudFrontPurger(
            CloudFrontSettings settings,
            CloudFrontAsyncClient client,
            InProgressBudget budget,
            CompletionPoller poller,
            MonthlyPathCount pathsBilled) {
        this.settings = settings;
        this.client = client;
        this.budget = budget;
        this.poller = poller;
        this.pathsBilled = pathsBilled;
    }

    /**
     * An adapter for one target, sending through {@code client}, counting the paths billed this
     * month on this replica alone, and registering its gauges ({@link CloudFrontMetrics}) in {@code
     * registry}.
     */
    public static CloudFrontPurger create(
            CloudFrontSettings settings, CloudFrontAsyncClient client, MeterRegistry registry) {
        return create(settings, client, registry, Optional.empty(), Clock.systemUTC());
    }

    /**
     * An adapter for one target counting the paths billed this month in {@code redis}, shared by
     * every replica ({@link MonthlyPathCount}); empty counts on this replica alone.
     */
    public static CloudFrontPurger create(
            CloudFrontSettings settings,
            CloudFrontAsyncClient client,
            MeterRegistry registry,
            Optional<Redis> redis) {
        return create(settings, client, registry, redis, Clock.systemUTC());
    }

    static CloudFrontPurger create(
            CloudFrontSettings settings,
            CloudFrontAsyncClient client,
            MeterRegistry registry,
            Optional<Redis> redis,
            Clock clock) {
        InProgressBudget budget =
                new InProgressBudget(
                        settings.maxPathsInProgress(), settings.maxWildcardsInProgress());
        Gauge.builder(
                        CloudFrontMetrics.INVALIDATIONS_IN_PROGRESS,
                        budget,
                        InProgressBudget::invalidationsInProgress)
                .tag("target", settings.target())
                .strongReference(true)
                .register(registry);
        MonthlyPathCount billed =
                new MonthlyPathCount(redis, settings.target(), settings.distributionId(), clock);
        Tags tags = Tags.of("target", settings.target(), "distribution", settings.distributionId());
        Gauge.builder(CloudFrontMetrics.PATHS_BILLED, billed, MonthlyPathCount::paths)
                .tags(tags)
                .strongReference(true)
                .register(registry);
        Gauge.builder(CloudFrontMetrics.ESTIMATED_COST, billed, MonthlyPathCount::costUsd)
                .tags(tags)
                .strongReference(true)
                .register(registry);
        settings.monthlyBudgetUsd()
                .ifPresent(
                        usd ->
                                Gauge.builder(CloudFrontMetrics.BUDGET, () -> usd)
                                        .tags(tags)
                                        .strongReference(true)
                                        .register(registry));
        return new CloudFrontPurger(
                settings, client, budget, new CompletionPoller(settings, client, clock), billed);
    }

    @Override
    public String provider() {
        return CloudFrontPurgerFactory.PROVIDER;
    }

    @Override
    public RequestLimits limits() {
        return new RequestLimits(
                settings.maxPathsPerRequest(),
                settings.maxPathsPerRequest(),
                settings.maxPrefixesPerRequest(),
                Integer.MAX_VALUE);
    }

    @Override
    public boolean caseInsensitiveTags() {
        return true;
    }

    /** Soft mode is never a reason: CloudFront invalidates hard, which also satisfies soft. */
    @Override
    public Optional<String> rejectReason(Selector selector, PurgeMode mode) {
        return CloudFrontPaths.rejectReason(selector);
    }

    /** The invalidation path, or {@code #tag} item, CloudFront is sent. */
    @Override
    public String sentAs(Selector selector) {
        return CloudFrontPaths.path(selector);
    }

    @Override
    public Optional<Duration> requestTimeout() {
        // the request lasts until Completed: allow the completion timeout plus one poll and a
        // margin
        return Optional.of(
                settings.completionTimeout().plus(settings.pollInterval()).plusSeconds(30));
    }

    @Override
    public int defaultMaxInFlight() {
        return DEFAULT_MAX_IN_FLIGHT;
    }

    @Override
    public Uni<PurgeResult> purge(PurgeRequest request) {
        InvalidationPlan plan;
        try {
            plan = CloudFrontRequests.plan(request, settings);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(PurgeResult.permanent("bad-request", e.getMessage()));
        }
        return Uni.createFrom().deferred(() -> admit(request, plan));
    }

    /** The paths billed this month, from Redis when it answers within its timeout. */
    @Override
    public Uni<Optional<BilledPaths>> billedPathsThisMonth() {
        return pathsBilled.current().map(Optional::of);
    }

    /** The in-progress budget of this target, for tests and diagnostics. */
    InProgressBudget budget() {
        return budget;
    }

    private Uni<PurgeResult> admit(PurgeRequest request, InvalidationPlan plan) {
        return switch (budget.admit(plan)) {
            case InProgressBudget.Refused refused -> {
                if (LOG.isDebugEnabled()) {
                    try (var log = LogContext.forBatch(request)) {
                        LOG.debugf(
                                "cloudfront target=%s batch=%s held back: %s",
                                settings.target(), request.batchId(), refused.detail());
                    }
                }
                yield Uni.createFrom()
                        .item(
                                new PurgeResult.Retryable(
                                        "in-progress-limit",
                                        refused.detail(),
                                        Optional.of(settings.pollInterval()),
                                        false));
            }
            case InProgressBudget.Joined joined -> {
                if (LOG.isDebugEnabled()) {
                    try (var log = LogContext.forBatch(request)) {
                        LOG.debugf(
                                "cloudfront target=%s batch=%s joins invalidation %s in progress",
                                settings.target(), request.batchId(), plan.callerReference());
                    }
                }
                yield view(joined.outcome());
            }
            case InProgressBudget.Reserved reserved -> {
                start(request, plan, reserved.entry());
                yield view(reserved.entry().outcome());
            }
        };
    }

    // Runs detached from the caller, bounded by the SDK's call timeout and completion-timeout.
    private void start(PurgeRequest request, InvalidationPlan plan, InProgressBudget.Entry entry) {
        Uni.createFrom()
                .completionStage(
                        () ->
                                client.createInvalidation(
                                        CloudFrontRequests.createRequest(
                                                settings.distributionId(), plan)))
                .onItemOrFailure()
                .transformToUni(
                        (response, failure) ->
                                failure == null
                                        ? created(request, plan, entry, response)
                                        : Uni.createFrom()
                                                .item(
                                                        CloudFrontErrors.fromCreateFailure(
                                                                failure, settings.pollInterval())))
                .subscribe()
                .with(
                        result -> finish(request, plan, entry, result),
                        failure ->
                                finish(
                                        request,
                                        plan,
                                        entry,
                                        PurgeResult.retryable(
                                                "internal", CloudFrontErrors.describe(failure))));
    }

    private Uni<PurgeResult> created(
            PurgeRequest request,
            InvalidationPlan plan,
            InProgressBudget.Entry entry,
            CreateInvalidationResponse response) {
        Invalidation invalidation = response.invalidation();
        budget.created(entry, invalidation.id());
        pathsBilled.add(plan.items());
        if (LOG.isDebugEnabled()) {
            try (var log = LogContext.forBatch(request)) {
                LOG.debugf(
                        "cloudfront target=%s batch=%s invalidation=%s created: %d paths, status %s",
                        settings.target(),
                        request.batchId(),
                        invalidation.id(),
                        plan.items(),
                        invalidation.status());
            }
        }
        return poller.awaitCompletion(invalidation.id(), invalidation.status());
    }

    private void finish(
            PurgeRequest request,
            InvalidationPlan plan,
            InProgressBudget.Entry entry,
            PurgeResult result) {
        budget.release(entry, result);
        if (LOG.isDebugEnabled()) {
            try (var log = LogContext.forBatch(request)) {
                LOG.debugf(
                        "cloudfront target=%s batch=%s reference=%s: %s",
                        settings.target(), request.batchId(), plan.callerReference(), result);
            }
        }
    }

    // The caller's view of the outcome: cancelling it leaves the invalidation followed to its end.
    private static Uni<PurgeResult> view(CompletableFuture<PurgeResult> outcome) {
        return Uni.createFrom()
                .emitter(
                        emitter ->
                                outcome.whenComplete(
                                        (result, failure) ->
                                                emitter.complete(
                                                        failure == null
                                                                ? result
                                                                : PurgeResult.retryable(
                                                                        "internal",
                                                                        CloudFrontErrors.describe(
                                                                                failure)))));
    }
}
