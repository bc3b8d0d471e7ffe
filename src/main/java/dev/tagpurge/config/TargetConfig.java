package dev.tagpurge.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys every purge target has, {@code tagpurge.targets.<name>.*}, whatever its provider. Each
 * provider maps its own keys under the same prefix in its package (for example {@code
 * dev.tagpurge.purge.fastly.FastlyTargets}), so the core lists no provider and its keys.
 */
public interface TargetConfig {

    /**
     * The provider id of one of the discovered {@code dev.tagpurge.purge.PurgerFactory} beans:
     * {@code fastly}, {@code cloudflare}, {@code cloudfront}, {@code akamai} or {@code redis}. An
     * unknown id fails start-up naming this key.
     */
    String provider();

    /** Whether this target receives purges. Default true. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The provider's API root; default the provider's real one. Must be {@code https} unless {@link
     * #sandbox()} is set: credentials must never travel in clear text to a real provider.
     */
    @WithName("base-url")
    Optional<String> baseUrl();

    /**
     * Marks a target whose {@code base-url} is an emulator (the CDN sandbox, moto) rather than the
     * provider, which allows a plain {@code http} {@code base-url}. Default false.
     */
    @WithDefault("false")
    boolean sandbox();

    /** Selectors per request; default the provider's documented limit. */
    @WithName("batch-size")
    Optional<Integer> batchSize();

    /**
     * Concurrent requests to this target; default the provider's ({@link
     * dev.tagpurge.purge.Purger#defaultMaxInFlight()}).
     */
    @WithName("max-in-flight")
    Optional<Integer> maxInFlight();

    /**
     * Overrides of the provider's default token buckets, by bucket name ({@code
     * rate-limits.purge-requests.capacity=25}); see README for each provider's buckets.
     */
    @WithName("rate-limits")
    Map<String, BucketOverride> rateLimits();

    /** One bucket's override; unset parts keep the provider's default. */
    interface BucketOverride {
        /** Burst size in tokens. */
        Optional<Long> capacity();

        /** Tokens added per {@link #refillPeriod()}. */
        @WithName("refill-tokens")
        Optional<Long> refillTokens();

        /** The refill period. */
        @WithName("refill-period")
        Optional<Duration> refillPeriod();
    }

    /**
     * The cache layer this target purges, inner first: an event's selector enters a target of layer
     * n+1 only once every target of a lower layer that takes it has finished with it (so a CDN miss
     * cannot refill from an application cache that still holds the old content). Default 0 for
     * {@code redis} targets (the application cache), 1 for CDN targets.
     */
    Optional<Integer> layer();

    /**
     * How long after the lower layers finished with an event this target's selectors enter its
     * window: time for in-between caches (an origin shield, a replica) to catch up. Default 0.
     */
    @WithName("layer-delay")
    @WithDefault("0s")
    Duration layerDelay();

    /**
     * Sends every selector this target purged for an event once more this long after the first
     * purge was accepted, coalesced with other traffic and within the rate limits, to clear a stale
     * copy that a cache refilled between the two. Unset (default): off. The event completes after
     * the first purge; the second holds no offset.
     */
    @WithName("repurge-after")
    Optional<Duration> repurgeAfter();

    /**
     * With {@code repurge-after}, the most selectors waiting for their second purge on this target;
     * beyond it they are dropped and counted ({@code tagpurge_repurges_total{outcome= "dropped"}}).
     * Default 10000.
     */
    @WithName("repurge-max-pending")
    @WithDefault("10000")
    int repurgeMaxPending();

    /** Only tags starting with one of these go to this target; default all. */
    @WithName("tag-prefixes")
    Optional<List<String>> tagPrefixes();

    /**
     * Only URLs and prefixes on these hosts go to this target; default all. The first host also
     * completes path-only URLs for providers that need a host.
     */
    Optional<List<String>> hosts();
}
