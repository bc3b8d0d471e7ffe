package dev.tagpurge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The verification probe's meters of one target, created once per result label. */
public final class VerificationMetrics {

    private final MeterRegistry registry;
    private final String target;
    private final Counter dropped;
    private final Map<String, Counter> byResult = new ConcurrentHashMap<>();

    public VerificationMetrics(MeterRegistry registry, String target) {
        this.registry = registry;
        this.target = target;
        this.dropped = registry.counter(MetricNames.PURGE_VERIFICATIONS_DROPPED, "target", target);
    }

    /** One probe's result: {@code verified}, {@code stale-served} or {@code unverifiable}. */
    public void result(String result) {
        byResult.computeIfAbsent(
                        result,
                        r ->
                                registry.counter(
                                        MetricNames.PURGE_VERIFICATIONS,
                                        "target",
                                        target,
                                        "result",
                                        r))
                .increment();
    }

    /** A purge not probed because the probe queue was full. */
    public void dropped() {
        dropped.increment();
    }
}
