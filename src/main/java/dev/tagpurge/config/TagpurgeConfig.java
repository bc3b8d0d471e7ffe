package dev.tagpurge.config;

import dev.tagpurge.domain.PurgeMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All of Tagpurge's own configuration, under {@code tagpurge.*}. The README lists every key. */
@ConfigMapping(prefix = "tagpurge")
public interface TagpurgeConfig {

    /** Ingest settings ({@code tagpurge.input.*}). */
    Input input();

    /** Coalescing window settings ({@code tagpurge.coalesce.*}). */
    Coalesce coalesce();

    /** Purge behaviour ({@code tagpurge.purge.*}). */
    Purge purge();

    /** Dead-letter settings ({@code tagpurge.dlq.*}). */
    Dlq dlq();

    /** Completion-event settings ({@code tagpurge.completion.*}). */
    Completion completion();

    /** Configured purge targets by name ({@code tagpurge.targets.<name>.*}). */
    Map<String, TargetConfig> targets();

    /**
     * Start without any enabled target. Default false: with none (a typo in a ConfigMap), every
     * event would be acknowledged as unmatched, so start-up refuses instead.
     */
    @WithName("allow-no-targets")
    @WithDefault("false")
    boolean allowNoTargets();

    /** Ordered mapping rules ({@code tagpurge.rules[i].*}). */
    Optional<List<RuleConfig>> rules();

    /** Rate limiting ({@code tagpurge.ratelimit.*}). */
    Ratelimit ratelimit();

    /** Graceful shutdown ({@code tagpurge.shutdown.*}). */
    Shutdown shutdown();

    interface Shutdown {
        /**
         * On SIGTERM, how long to wait for consumed events to finish (pending windows flushed,
         * in-flight purges answered, completions written) before stopping anyway; what is left is
         * re-delivered. Keep Kubernetes' terminationGracePeriodSeconds above it. Default 25s.
         */
        @WithName("drain-timeout")
        @WithDefault("25s")
        Duration drainTimeout();

        /**
         * On SIGTERM, stop draining once outcome writes (completions, dead letters) are pending and
         * none has succeeded for this long: the broker is unreachable, so waiting longer cannot
         * commit anything, and what is left is re-delivered anyway. Default 4s, which with the
         * Kafka clients' 2 s close timeouts bounds such a shutdown near 12 s.
         */
        @WithName("write-stall-timeout")
        @WithDefault("4s")
        Duration writeStallTimeout();
    }

    interface Ratelimit {
        /**
         * Keep every target's token buckets in Redis, shared by all replicas. Default false: each
         * replica has the whole limit to itself.
         */
        @WithDefault("false")
        boolean shared();

        /**
         * With shared buckets, the share of each limit this replica uses while Redis is
         * unreachable, in (0, 1]. Unset by default: the share is then 1/the input consumer group's
         * live members (read every {@code membership-refresh}), or 1/{@code max-replicas} while the
         * membership is unknown, so the replicas together stay within one limit.
         */
        @WithName("fallback-share")
        Optional<Double> fallbackShare();

        /**
         * The most replicas the deployment may run (the autoscaler's maximum): while Redis and the
         * group's membership are both unknown, each replica falls back to 1/this of each limit.
         * Default 6, the maximum of the prod overlay's autoscaling (KEDA and HPA).
         */
        @WithName("max-replicas")
        @WithDefault("6")
        int maxReplicas();

        /**
         * How often the members of the input consumer group are read for the fallback share, and
         * the longest wait for one read; a count older than three refreshes is unknown. Default 5s.
         */
        @WithName("membership-refresh")
        @WithDefault("5s")
        Duration membershipRefresh();

        /** Named Quarkus Redis client for shared buckets; default the default client. */
        @WithName("redis-client")
        Optional<String> redisClient();

        /**
         * Longest wait for Redis on any call of the shared buckets; past it this replica takes its
         * local share (see {@code fallback-share}) as when Redis refuses connections, and tries
         * Redis again a few seconds later. A Redis that stalls without refusing (paused, swapping)
         * would otherwise hold every target. Default 1s: far above a healthy Redis' answer, yet a
         * stall is noticed within a second (250 ms was tripped by a busy two-core CI machine,
         * sending replicas to their share while Redis was fine).
         */
        @WithName("redis-timeout")
        @WithDefault("1s")
        Duration redisTimeout();

        /**
         * Share of every provider bucket held back, so that a provider counting requests when they
         * arrive never refuses one: the refill rate and the capacity are both lowered by this
         * fraction (clock skew, a provider clock running slightly fast), and the capacity further
         * by what the target's {@code max-in-flight} requests can carry (a request taken from the
         * bucket earlier may arrive together with later ones). 0 takes the documented limits
         * literally. Must be in [0, 1). Default 0.1.
         */
        @WithDefault("0.1")
        double margin();
    }

    interface Input {
        /** Topics to consume, comma-separated. Default {@code change-events}. */
        @WithDefault("change-events")
        List<String> topics();

        /** Largest accepted record value in bytes. Default 1 MiB. */
        @WithName("max-bytes")
        @WithDefault("1048576")
        int maxBytes();

        /** Most selectors one event may yield. Default 1000. */
        @WithName("max-selectors")
        @WithDefault("1000")
        int maxSelectors();

        /**
         * Most change events held un-acknowledged at once (all targets together); at the bound the
         * consumer pauses. Default 50000: an event in flight holds about 0.8–1.3 KB of live heap at
         * saturation (one target and two, measured by the benchmark, see docs/benchmark.md), so
         * this stays near 65 MB, inside the heap of the 512 MiB pod of k8s/. For small events the
         * bound in bytes is reached first (near 24,000 events at its default).
         */
        @WithName("max-in-flight-events")
        @WithDefault("50000")
        int maxInFlightEvents();

        /**
         * Estimated memory the events in flight may hold, in bytes, before the consumer pauses:
         * each consumed record counts its size plus the client's bookkeeping from its poll until
         * its own outcome is written, each event its selectors and progress records. The bound in
         * events alone lets large events exhaust the heap (50,000 events of 10 KB are 500 MB).
         * Default 64 MiB (67108864), a quarter of a 256 MiB heap.
         */
        @WithName("max-in-flight-bytes")
        @WithDefault("67108864")
        long maxInFlightBytes();

        /**
         * Most events whose purges are done but whose outcome (completion event, dead letter) the
         * broker has not yet acknowledged; at the bound the consumer pauses. When the broker
         * acknowledges more slowly than the targets purge, the backlog then waits in Kafka rather
         * than in the heap, where each such event keeps its record, its completion and the
         * producer's bookkeeping. Default 4096: several times what the completion producer keeps in
         * flight (five requests of 64 KiB batches per broker, about 90 completions each), and what
         * a broker 50 ms away leaves unacknowledged at 50,000 events/s; measured faster than 8192
         * or no bound (docs/benchmark.md).
         */
        @WithName("max-unwritten-outcomes")
        @WithDefault("4096")
        int maxUnwrittenOutcomes();

        /**
         * How far in the future an event's {@code time} may be. An event whose {@code time} lies
         * outside [now - {@code max-event-age}, now + {@code max-clock-skew}] is still purged (its
         * selectors are as valid as any: dead-lettering it would leave stale content for a clock
         * error of its producer), but its {@code time} is ignored: latency is measured from
         * receipt, as for an event without {@code time}, and never from a value such as Go's zero
         * time {@code 0001-01-01T00:00:00Z}. Default 5m.
         */
        @WithName("max-clock-skew")
        @WithDefault("5m")
        Duration maxClockSkew();

        /**
         * How far in the past an event's {@code time} may be before it is ignored; see {@code
         * max-clock-skew}. Default 7d.
         */
        @WithName("max-event-age")
        @WithDefault("7d")
        Duration maxEventAge();
    }

    interface Coalesce {
        /**
         * How long the oldest pending selector may wait before its request is sent. Default 50ms.
         */
        @WithDefault("50ms")
        Duration linger();

        /**
         * How long a partly full request may wait past the linger for more selectors while its
         * rate-limit bucket has no token to spare: a bucket that counts requests spends a token on
         * a partly full one only when it is within one linger's refill of its capacity, so scarce
         * tokens carry full requests. Equal to the linger: never wait past it. Default 1s.
         */
        @WithName("max-linger")
        @WithDefault("1s")
        Duration maxLinger();

        /** Pending selectors per target before the consumer pauses. Default 100000. */
        @WithName("max-pending")
        @WithDefault("100000")
        int maxPending();
    }

    interface Purge {
        /** Mode of events that do not say: {@code hard} or {@code soft}. Default {@code hard}. */
        @WithName("default-mode")
        @WithDefault("hard")
        PurgeMode defaultMode();

        /** Whether events may ask to purge everything. Default false. */
        @WithName("everything-from-events")
        @WithDefault("false")
        boolean everythingFromEvents();

        /** Give up retrying an event's purges this long after it was received. Default 15 min. */
        @WithDefault("15m")
        Duration deadline();

        /** Timeout of one provider request. Default 10s. */
        @WithName("request-timeout")
        @WithDefault("10s")
        Duration requestTimeout();

        /** First retry backoff; doubles per attempt, with full jitter. Default 200ms. */
        @WithName("retry-initial-backoff")
        @WithDefault("200ms")
        Duration retryInitialBackoff();

        /** Largest retry backoff. Default 30s. */
        @WithName("retry-max-backoff")
        @WithDefault("30s")
        Duration retryMaxBackoff();

        /**
         * Longest wait a provider may impose through {@code Retry-After}, {@code
         * Fastly-RateLimit-Reset} or {@code X-Ratelimit-Reset}: a larger value (or a date in year
         * 9999) is cut to this, a negative or unreadable one ignored. Default 5m.
         */
        @WithName("max-retry-after")
        @WithDefault("5m")
        Duration maxRetryAfter();
    }

    interface Dlq {
        /** Dead-letter topic. Default {@code change-events.dlq}. */
        @WithDefault("change-events.dlq")
        String topic();
    }

    interface Completion {
        /** Completion topic. Default {@code purge-completions}. */
        @WithDefault("purge-completions")
        String topic();

        /** {@code per-event} (default) or {@code off}. */
        @WithDefault("per-event")
        CompletionMode mode();
    }
}
