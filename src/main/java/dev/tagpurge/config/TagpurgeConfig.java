package dev.tagpurge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All of Tagpurge's own configuration, under {@code tagpurge.*}. SPEC.md §1–§7 names the keys. */
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

    /** The embedded CDN sandbox ({@code tagpurge.sandbox.*}). */
    Sandbox sandbox();

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
         * unreachable: 1/replicas keeps the fleet within the limit. Default 1.0.
         */
        @WithName("fallback-share")
        @WithDefault("1.0")
        double fallbackShare();

        /** Named Quarkus Redis client for shared buckets; default the default client. */
        @WithName("redis-client")
        Optional<String> redisClient();
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
         * consumer pauses. Default 50000: an event in flight holds about 2.6 KB of live heap
         * (measured in the benchmark, see README), so this stays near 130 MB, inside the heap of
         * the 512 MiB pod of k8s/; the former 200000 could need ~520 MB under a backlog.
         */
        @WithName("max-in-flight-events")
        @WithDefault("50000")
        int maxInFlightEvents();
    }

    interface Coalesce {
        /**
         * How long the oldest pending selector may wait before its request is sent. Default 50ms.
         */
        @WithDefault("50ms")
        Duration linger();

        /** Pending selectors per target before the consumer pauses. Default 100000. */
        @WithName("max-pending")
        @WithDefault("100000")
        int maxPending();
    }

    interface Purge {
        /** Mode of events that do not say. Default {@code hard}. */
        @WithName("default-mode")
        @WithDefault("hard")
        String defaultMode();

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
        String mode();
    }

    interface Sandbox {
        /**
         * Mount the CDN sandbox on this service's HTTP server under {@code /sandbox}. Default
         * false; the dev profile turns it on.
         */
        @WithDefault("false")
        boolean enabled();
    }
}
