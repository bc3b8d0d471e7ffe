package dev.tagpurge.metrics;

/**
 * Every metric Tagpurge exports. Micrometer names; Prometheus shows dots as underscores, counters
 * with {@code _total}, timers in {@code _seconds}. Tags are low-cardinality only: never a cache
 * tag, URL or event id.
 */
public final class MetricNames {

    /** Counter {@code tagpurge_events_received_total{topic}}: records consumed. */
    public static final String EVENTS_RECEIVED = "tagpurge.events.received";

    /**
     * Operator purges executed, per target: tags {@code target}, {@code scope} (what was purged:
     * {@code tags}, {@code urls}, {@code prefixes} or {@code everything}) and {@code role} (the
     * highest operator role of who asked).
     */
    public static final String OPERATOR_PURGES = "tagpurge.operator.purges";

    /** Counter {@code tagpurge_events_invalid_total{reason}}: events refused and dead-lettered. */
    public static final String EVENTS_INVALID = "tagpurge.events.invalid";

    /** Counter {@code tagpurge_events_unmatched_total}: valid events that yielded no selector. */
    public static final String EVENTS_UNMATCHED = "tagpurge.events.unmatched";

    /** Counter {@code tagpurge_selectors_total{target}}: selectors routed to a target. */
    public static final String SELECTORS = "tagpurge.selectors";

    /** Counter {@code tagpurge_selectors_coalesced_total{target}}: selectors merged away. */
    public static final String SELECTORS_COALESCED = "tagpurge.selectors.coalesced";

    /** Counter {@code tagpurge_purge_requests_total{target,provider,outcome}}. */
    public static final String PURGE_REQUESTS = "tagpurge.purge.requests";

    /** Timer {@code tagpurge_purge_request_duration_seconds{target}}: one provider request. */
    public static final String PURGE_REQUEST_DURATION = "tagpurge.purge.request.duration";

    /** Summary {@code tagpurge_batch_selectors{target}}: selectors per request. */
    public static final String BATCH_SELECTORS = "tagpurge.batch.selectors";

    /** Gauge {@code tagpurge_pending_selectors{target}}: selectors waiting in the window. */
    public static final String PENDING_SELECTORS = "tagpurge.pending.selectors";

    /** Gauge {@code tagpurge_inflight_requests{target}}: requests sent, not yet answered. */
    public static final String INFLIGHT_REQUESTS = "tagpurge.inflight.requests";

    /**
     * Timer {@code tagpurge_ratelimit_wait_seconds{target}}: time a due batch waited for a limit.
     */
    public static final String RATELIMIT_WAIT = "tagpurge.ratelimit.wait";

    /**
     * Gauge {@code tagpurge_ratelimit_fallback{target}}: 1 while shared buckets are unreachable.
     */
    public static final String RATELIMIT_FALLBACK = "tagpurge.ratelimit.fallback";

    /** Counter {@code tagpurge_throttled_total{target}}: the provider answered 429 (or its kin). */
    public static final String THROTTLED = "tagpurge.throttled";

    /** Counter {@code tagpurge_retries_total{target,reason}}: requests scheduled again. */
    public static final String RETRIES = "tagpurge.retries";

    /**
     * Counter {@code tagpurge_repurges_total{target,outcome}}: selectors purged a second time
     * ({@code repurge-after}), by outcome {@code succeeded}, {@code failed} or {@code dropped}
     * (beyond {@code repurge-max-pending}).
     */
    public static final String REPURGES = "tagpurge.repurges";

    /**
     * Timer {@code tagpurge_event_latency_seconds{target}}: event time (or receipt) to confirmed.
     */
    public static final String EVENT_LATENCY = "tagpurge.event.latency";

    /** Counter {@code tagpurge_completions_total{status}}: completion outcomes per event. */
    public static final String COMPLETIONS = "tagpurge.completions";

    /** Counter {@code tagpurge_dlq_total{reason}}: records written to the dead-letter topic. */
    public static final String DLQ = "tagpurge.dlq";

    /** Gauge {@code tagpurge_events_in_flight}: events consumed and not yet acknowledged. */
    public static final String EVENTS_IN_FLIGHT = "tagpurge.events.in.flight";

    /**
     * Gauge {@code tagpurge_events_in_flight_bytes}: the estimated memory held by the events in
     * flight, bounded by {@code tagpurge.input.max-in-flight-bytes}.
     */
    public static final String EVENTS_IN_FLIGHT_BYTES = "tagpurge.events.in.flight.bytes";

    /**
     * Gauge {@code tagpurge_outcomes_unwritten}: events purged whose completion (or dead letter)
     * the broker has not yet acknowledged, bounded by {@code
     * tagpurge.input.max-unwritten-outcomes}.
     */
    public static final String OUTCOMES_UNWRITTEN = "tagpurge.outcomes.unwritten";

    /** Gauge {@code tagpurge_consumer_paused}: 1 while backpressure holds the consumer. */
    public static final String CONSUMER_PAUSED = "tagpurge.consumer.paused";

    /**
     * Counter {@code tagpurge_dlq_dropped_total{reason}}: dead letters refused for good even
     * without their value (too large, topic not authorized, not serializable); each was logged with
     * its topic-partition@offset and its record acknowledged, so the partition moved on.
     */
    public static final String DLQ_DROPPED = "tagpurge.dlq.dropped";

    /**
     * Gauge {@code tagpurge_consumer_lag{topic,partition}}: records of the input consumer group not
     * yet committed, read from the broker (log-end minus committed offset) every {@code
     * tagpurge.lag.interval}, so it keeps moving while the consumer is paused. Every replica
     * reports the whole group: aggregate with {@code max} over replicas.
     */
    public static final String CONSUMER_LAG = "tagpurge.consumer.lag";

    /**
     * Gauge {@code tagpurge_consumer_topic_lag{topic}}: {@link #CONSUMER_LAG} summed over the
     * topic's partitions (what alerts and autoscaling use).
     */
    public static final String CONSUMER_TOPIC_LAG = "tagpurge.consumer.topic.lag";

    /**
     * Counter {@code tagpurge_consumer_lag_read_failures_total}: reads of the lag that failed
     * (broker unreachable, timeout); the lag gauges then keep their last values.
     */
    public static final String CONSUMER_LAG_READ_FAILURES = "tagpurge.consumer.lag.read.failures";

    /**
     * Gauge {@code tagpurge_ratelimit_fallback_share{target}}: with shared rate limits, the share
     * of each limit this replica uses while Redis is unreachable ({@code fallback-share}, else
     * 1/live members of the input group, else 1/{@code max-replicas}).
     */
    public static final String RATELIMIT_FALLBACK_SHARE = "tagpurge.ratelimit.fallback.share";

    /**
     * Counter {@code tagpurge_purge_verifications_total{target,result}}: verification probes after
     * a purge, by result: {@code verified}, {@code stale-served} (the CDN still served a copy older
     * than the purge) or {@code unverifiable} (no cache headers, an error, a refused host).
     */
    public static final String PURGE_VERIFICATIONS = "tagpurge.purge.verifications";

    /**
     * Counter {@code tagpurge_purge_verifications_dropped_total{target}}: purges not probed because
     * the probe queue ({@code tagpurge.verification.queue-capacity}) was full.
     */
    public static final String PURGE_VERIFICATIONS_DROPPED = "tagpurge.purge.verifications.dropped";

    private MetricNames() {}
}
