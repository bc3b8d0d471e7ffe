package dev.tagpurge.sandbox;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the Cloudflare emulator behaves. Start from {@link #defaults()} and use the {@code with…}
 * methods; bucket overrides survive a later {@link #withPlan(Plan)}.
 *
 * @param acceptedTokens bearer tokens it accepts; empty accepts any non-empty token
 * @param plan the emulated zone's plan: items per request and default buckets
 * @param requestBucketOverride replaces the plan's shared tag/host/prefix/everything bucket
 * @param urlBucketOverride replaces the plan's single-file URL bucket
 */
public record CloudflareEmulatorSettings(
        Set<String> acceptedTokens,
        Plan plan,
        Optional<Bucket> requestBucketOverride,
        Optional<Bucket> urlBucketOverride) {

    /**
     * A token bucket: {@code capacity} tokens, refilled smoothly by {@code refillTokens} every
     * {@code refillPeriod}.
     */
    public record Bucket(int capacity, int refillTokens, Duration refillPeriod) {

        public Bucket {
            if (capacity < 1 || refillTokens < 1) {
                throw new IllegalArgumentException(
                        "bucket capacity and refill must be positive, were "
                                + capacity
                                + " and "
                                + refillTokens);
            }
            if (refillPeriod.isNegative() || refillPeriod.isZero()) {
                throw new IllegalArgumentException(
                        "bucket refill period must be positive, was " + refillPeriod);
            }
        }
    }

    /**
     * Cloudflare's plans as Cloudflare documents them. The URL rate's burst is not documented; the
     * emulator allows one second's worth.
     */
    public enum Plan {
        FREE(100, 100, new Bucket(25, 5, Duration.ofMinutes(1)), perSecond(800)),
        PRO(100, 100, new Bucket(25, 5, Duration.ofSeconds(1)), perSecond(1_500)),
        BUSINESS(100, 100, new Bucket(50, 10, Duration.ofSeconds(1)), perSecond(1_500)),
        ENTERPRISE(100, 500, new Bucket(500, 50, Duration.ofSeconds(1)), perSecond(3_000));

        private final int itemsPerRequest;
        private final int urlsPerRequest;
        private final Bucket requestBucket;
        private final Bucket urlBucket;

        Plan(int itemsPerRequest, int urlsPerRequest, Bucket requestBucket, Bucket urlBucket) {
            this.itemsPerRequest = itemsPerRequest;
            this.urlsPerRequest = urlsPerRequest;
            this.requestBucket = requestBucket;
            this.urlBucket = urlBucket;
        }

        /** Tags, hosts or prefixes one request may carry. */
        public int itemsPerRequest() {
            return itemsPerRequest;
        }

        /** URLs ({@code files}) one request may carry. */
        public int urlsPerRequest() {
            return urlsPerRequest;
        }

        /** The bucket shared by tag, host, prefix and everything requests; one token each. */
        public Bucket requestBucket() {
            return requestBucket;
        }

        /** The single-file purge rate; one token per URL. */
        public Bucket urlBucket() {
            return urlBucket;
        }

        private static Bucket perSecond(int urls) {
            return new Bucket(urls, urls, Duration.ofSeconds(1));
        }
    }

    public CloudflareEmulatorSettings {
        acceptedTokens = Set.copyOf(acceptedTokens);
    }

    /** Any non-empty token, the Enterprise plan's limits. */
    public static CloudflareEmulatorSettings defaults() {
        return new CloudflareEmulatorSettings(
                Set.of(), Plan.ENTERPRISE, Optional.empty(), Optional.empty());
    }

    /** The shared tag/host/prefix/everything bucket in effect. */
    public Bucket requestBucket() {
        return requestBucketOverride.orElse(plan.requestBucket());
    }

    /** The single-file URL bucket in effect. */
    public Bucket urlBucket() {
        return urlBucketOverride.orElse(plan.urlBucket());
    }

    public CloudflareEmulatorSettings withAcceptedTokens(String... tokens) {
        return new CloudflareEmulatorSettings(
                Set.of(tokens), plan, requestBucketOverride, urlBucketOverride);
    }

    public CloudflareEmulatorSettings withPlan(Plan plan) {
        return new CloudflareEmulatorSettings(
                acceptedTokens, plan, requestBucketOverride, urlBucketOverride);
    }

    /** Scales the shared bucket, e.g. {@code (25, 5, 1 s)} for a fast Free plan in tests. */
    public CloudflareEmulatorSettings withRequestBucket(
            int capacity, int refillTokens, Duration refillPeriod) {
        return new CloudflareEmulatorSettings(
                acceptedTokens,
                plan,
                Optional.of(new Bucket(capacity, refillTokens, refillPeriod)),
                urlBucketOverride);
    }

    /** Scales the single-file URL bucket (tokens are URLs). */
    public CloudflareEmulatorSettings withUrlBucket(
            int capacity, int refillTokens, Duration refillPeriod) {
        return new CloudflareEmulatorSettings(
                acceptedTokens,
                plan,
                requestBucketOverride,
                Optional.of(new Bucket(capacity, refillTokens, refillPeriod)));
    }
}
