package dev.tagpurge.purge.cloudflare;

import static dev.tagpurge.domain.SelectorKind.EVERYTHING;
import static dev.tagpurge.domain.SelectorKind.PREFIX;
import static dev.tagpurge.domain.SelectorKind.TAG;
import static dev.tagpurge.domain.SelectorKind.URL;

import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.ratelimit.BucketRule;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cloudflare plans with their documented items per purge request and purge rate limits: one bucket
 * {@code purge-requests} shared by tag, host, prefix and everything requests (Free 25 / 5 a minute,
 * Pro 25 / 5 a second, Business 50 / 10 a second, Enterprise 500 / 50 a second), and the
 * single-file URL rate {@code urls} (800, 1,500, 1,500, 3,000 URLs a second). Configured as {@code
 * tagpurge.targets.<name>.plan}: {@code free}, {@code pro}, {@code business} or {@code enterprise}.
 */
public enum CloudflarePlan {
    FREE(100, 100, 25, 5, Duration.ofMinutes(1), 800),
    PRO(100, 100, 25, 5, Duration.ofSeconds(1), 1500),
    BUSINESS(100, 100, 50, 10, Duration.ofSeconds(1), 1500),
    ENTERPRISE(100, 500, 500, 50, Duration.ofSeconds(1), 3000);

    private static final Set<SelectorKind> SHARED = EnumSet.of(TAG, PREFIX, EVERYTHING);

    private final int itemsPerRequest;
    private final int urlsPerRequest;
    private final int requestBurst;
    private final int requestRefill;
    private final Duration requestPeriod;
    private final int urlsPerSecond;

    CloudflarePlan(
            int itemsPerRequest,
            int urlsPerRequest,
            int requestBurst,
            int requestRefill,
            Duration requestPeriod,
            int urlsPerSecond) {
        this.itemsPerRequest = itemsPerRequest;
        this.urlsPerRequest = urlsPerRequest;
        this.requestBurst = requestBurst;
        this.requestRefill = requestRefill;
        this.requestPeriod = requestPeriod;
        this.urlsPerSecond = urlsPerSecond;
    }

    /** The plan's purge rate limits as token buckets. */
    public List<BucketRule> rateLimits() {
        return List.of(
                BucketRule.perRequest(
                        "purge-requests", requestBurst, requestRefill, requestPeriod, SHARED),
                BucketRule.perItem(
                        "urls", urlsPerSecond, urlsPerSecond, Duration.ofSeconds(1), Set.of(URL)));
    }

    /** Tags, hosts or prefixes in one request. */
    public int itemsPerRequest() {
        return itemsPerRequest;
    }

    /** URLs ({@code files}) in one request. */
    public int urlsPerRequest() {
        return urlsPerRequest;
    }

    /** The lower-case name used in configuration. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
