package dev.tagpurge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The meters of one target, created once so the hot path does no registry look-ups. Gauges read the
 * pipeline's own counters through suppliers.
 */
public final class TargetMetrics {

    /** The longest event latency recorded; see {@link #eventPurged}. */
    static final Duration MAX_LATENCY = Duration.ofDays(1);

    private final MeterRegistry registry;
    private final String target;
    private final String provider;
    private final Counter selectors;
    private final Counter coalesced;
    private final Counter throttled;
    private final Timer requestDuration;
    private final Timer eventLatency;
    private final Timer rateLimitWait;
    private final DistributionSummary batchSelectors;
    private final Map<String, Counter> requestsByOutcome = new ConcurrentHashMap<>();
    private final Map<String, Counter> retriesByReason = new ConcurrentHashMap<>();
    private final Map<String, Counter> repurgesByOutcome = new ConcurrentHashMap<>();

    public TargetMetrics(MeterRegistry registry, String target, String provider) {
        this.registry = registry;
        this.target = target;
        this.provider = provider;
        Tags tags = Tags.of("target", target);
        this.selectors = registry.counter(MetricNames.SELECTORS, tags);
        this.coalesced = registry.counter(MetricNames.SELECTORS_COALESCED, tags);
        this.throttled = registry.counter(MetricNames.THROTTLED, tags);
        this.requestDuration =
                Timer.builder(MetricNames.PURGE_REQUEST_DURATION)
                        .tags(tags)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry);
        this.eventLatency =
                Timer.builder(MetricNames.EVENT_LATENCY)
                        .tags(tags)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(15))
                        .register(registry);
        this.rateLimitWait =
                Timer.builder(MetricNames.RATELIMIT_WAIT).tags(tags).register(registry);
        this.batchSelectors =
                DistributionSummary.builder(MetricNames.BATCH_SELECTORS)
                        .tags(tags)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(1.0)
                        .maximumExpectedValue(1000.0)
                        .register(registry);
    }

    /** Registers the pending and in-flight gauges, read from the pipeline. */
    public void bindGauges(Supplier<Number> pending, Supplier<Number> inFlight) {
        registry.gauge(
                MetricNames.PENDING_SELECTORS,
                Tags.of("target", target),
                pending,
                s -> s.get().doubleValue());
        registry.gauge(
                MetricNames.INFLIGHT_REQUESTS,
                Tags.of("target", target),
                inFlight,
                s -> s.get().doubleValue());
    }

    public void selectorRouted() {
        selectors.increment();
    }

    public void selectorsCoalesced(int n) {
        if (n > 0) {
            coalesced.increment(n);
        }
    }

    public void batchSent(int size) {
        batchSelectors.record(size);
    }

    /** One answered request: outcome {@code accepted}, {@code retryable} or {@code permanent}. */
    public void requestDone(String outcome, long durationNanos) {
        requestsByOutcome
                .computeIfAbsent(
                        outcome,
                        o ->
                                registry.counter(
                                        MetricNames.PURGE_REQUESTS,
                                        "target",
                                        target,
                                        "provider",
                                        provider,
                                        "outcome",
                                        o))
                .increment();
        requestDuration.record(Duration.ofNanos(durationNanos));
    }

    public void retry(String reason) {
        retriesByReason
                .computeIfAbsent(
                        reason,
                        r -> registry.counter(MetricNames.RETRIES, "target", target, "reason", r))
                .increment();
    }

    /**
     * Second purges ({@code repurge-after}) of {@code n} selectors with outcome {@code succeeded},
     * {@code failed} or {@code dropped} (beyond {@code repurge-max-pending}).
     */
    public void repurged(String outcome, int n) {
        if (n <= 0) {
            return;
        }
        repurgesByOutcome
                .computeIfAbsent(
                        outcome,
                        o -> registry.counter(MetricNames.REPURGES, "target", target, "outcome", o))
                .increment(n);
    }

    public void throttled() {
        throttled.increment();
    }

    public void rateLimitWaited(long nanos) {
        rateLimitWait.record(Duration.ofNanos(nanos));
    }

    /**
     * Records the latency of one event on this target, from its start (the event's own {@code
     * time}, else its receipt) to {@code purgedAt}. A start in the future (a producer's clock ahead
     * of ours) counts as zero; one further back than {@link #MAX_LATENCY} is not a latency this
     * service caused (a replayed topic, a placeholder time such as year 1) and is left out rather
     * than let it overflow the timer or dwarf every real sample.
     */
    public void eventPurged(Instant startedAt, Instant purgedAt) {
        Duration latency = Duration.between(startedAt, purgedAt);
        if (latency.isNegative()) {
            eventLatency.record(Duration.ZERO);
        } else if (latency.compareTo(MAX_LATENCY) <= 0) {
            eventLatency.record(latency);
        }
    }
}
