package dev.tagpurge.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One purge target, {@code tagpurge.targets.<name>.*}. Provider-specific keys are optional here and
 * checked by the provider's adapter at start-up, naming the missing key.
 */
public interface TargetConfig {

    /** {@code fastly}, {@code cloudflare}, {@code cloudfront}, {@code akamai} or {@code redis}. */
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

    /** API token (Fastly {@code Fastly-Key}, Cloudflare bearer). From a Secret; never logged. */
    @WithName("api-token")
    Optional<String> apiToken();

    /** Fastly service id. */
    @WithName("service-id")
    Optional<String> serviceId();

    /** Redis key namespace of the tag index. Default {@code tagpurge:}. */
    @WithDefault("tagpurge:")
    String namespace();

    /**
     * Named Quarkus Redis client ({@code quarkus.redis.<client>.*}); default the default client.
     */
    Optional<String> client();

    /** Selectors per request; default the provider's documented limit. */
    @WithName("batch-size")
    Optional<Integer> batchSize();

    /**
     * Concurrent requests to this target; default the provider's ({@link
     * dev.tagpurge.purge.Purger#defaultMaxInFlight()}).
     */
    @WithName("max-in-flight")
    Optional<Integer> maxInFlight();

    /** Cloudflare zone id. */
    @WithName("zone-id")
    Optional<String> zoneId();

    /** Cloudflare plan, which sets the default limits: free, pro, business, enterprise. */
    Optional<String> plan();

    /** CloudFront distribution id. */
    @WithName("distribution-id")
    Optional<String> distributionId();

    /** AWS region of the CloudFront client. Default us-east-1. */
    @WithDefault("us-east-1")
    String region();

    /** CloudFront: how often GetInvalidation is polled until Completed. Default 5s. */
    @WithName("poll-interval")
    Optional<java.time.Duration> pollInterval();

    /**
     * CloudFront: how long an invalidation may stay InProgress before the purge is retried. Default
     * 15m.
     */
    @WithName("completion-timeout")
    Optional<java.time.Duration> completionTimeout();

    /** CloudFront: paths and tags in progress per distribution this target allows. Default 3000. */
    @WithName("max-paths-in-progress")
    Optional<Integer> maxPathsInProgress();

    /** CloudFront: wildcard paths in progress per distribution this target allows. Default 15. */
    @WithName("max-wildcards-in-progress")
    Optional<Integer> maxWildcardsInProgress();

    /** Akamai EdgeGrid client token. From a Secret; never logged. */
    @WithName("client-token")
    Optional<String> clientToken();

    /** Akamai EdgeGrid client secret. From a Secret; never logged. */
    @WithName("client-secret")
    Optional<String> clientSecret();

    /** Akamai EdgeGrid access token. From a Secret; never logged. */
    @WithName("access-token")
    Optional<String> accessToken();

    /** Akamai network: staging or production. Default production. */
    @WithDefault("production")
    String network();

    /** Akamai CP codes that "everything" purges. */
    @WithName("cp-codes")
    Optional<List<String>> cpCodes();

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
        Optional<java.time.Duration> refillPeriod();
    }

    /** Only tags starting with one of these go to this target; default all. */
    @WithName("tag-prefixes")
    Optional<List<String>> tagPrefixes();

    /**
     * Only URLs and prefixes on these hosts go to this target; default all. The first host also
     * completes path-only URLs for providers that need a host.
     */
    Optional<List<String>> hosts();
}
