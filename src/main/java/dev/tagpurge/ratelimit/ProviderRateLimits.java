package dev.tagpurge.ratelimit;

import static dev.tagpurge.domain.SelectorKind.EVERYTHING;
import static dev.tagpurge.domain.SelectorKind.PREFIX;
import static dev.tagpurge.domain.SelectorKind.TAG;
import static dev.tagpurge.domain.SelectorKind.URL;

import dev.tagpurge.domain.SelectorKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Each provider's documented purge limits as token buckets: the defaults a target gets unless
 * {@code tagpurge.targets.<name>.rate-limits.<bucket>.*} overrides them.
 *
 * <ul>
 *   <li>Fastly: 1,000 non-read API calls an hour; only {@code purge_all} counts among purges.
 *   <li>Cloudflare, by plan: one bucket shared by tag, host, prefix and everything requests (Free
 *       25 / 5 a minute, Pro 25 / 5 a second, Business 50 / 10 a second, Enterprise 500 / 50 a
 *       second), and the single-file URL rate (800, 1,500, 1,500, 3,000 URLs a second).
 *   <li>Akamai: API requests 100 / 50 a second, URL objects 10,000 / 200 a second, CP codes 300 /
 *       30 a minute, cache tags 5,000 / 500 a minute.
 *   <li>CloudFront: none here; its in-progress limits are enforced by its adapter.
 *   <li>Redis: none.
 * </ul>
 */
public final class ProviderRateLimits {

    private static final Set<SelectorKind> ALL = EnumSet.allOf(SelectorKind.class);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private ProviderRateLimits() {}

    /**
     * The default buckets of a provider.
     *
     * @param plan Cloudflare's plan (free, pro, business, enterprise); ignored by others
     * @param cpCodes how many CP codes an Akamai purge-everything names
     */
    public static List<BucketRule> defaults(String provider, String plan, int cpCodes) {
        return switch (provider) {
            case "fastly" ->
                    List.of(
                            BucketRule.perRequest(
                                    "purge-all",
                                    1000,
                                    1000,
                                    Duration.ofHours(1),
                                    Set.of(EVERYTHING)));
            case "cloudflare" -> cloudflare(plan);
            case "akamai" ->
                    List.of(
                            BucketRule.perRequest("api-requests", 100, 50, SECOND, ALL),
                            BucketRule.perItem("url-objects", 10_000, 200, SECOND, Set.of(URL)),
                            new BucketRule(
                                    "cp-codes",
                                    300,
                                    30,
                                    MINUTE,
                                    Set.of(EVERYTHING),
                                    false,
                                    Math.max(1, cpCodes)),
                            BucketRule.perItem("cache-tags", 5_000, 500, MINUTE, Set.of(TAG)));
            default -> List.of();
        };
    }

    private static List<BucketRule> cloudflare(String plan) {
        Set<SelectorKind> shared = EnumSet.of(TAG, PREFIX, EVERYTHING);
        return switch (plan.toLowerCase(Locale.ROOT)) {
            case "free" ->
                    List.of(
                            BucketRule.perRequest("purge-requests", 25, 5, MINUTE, shared),
                            BucketRule.perItem("urls", 800, 800, SECOND, Set.of(URL)));
            case "pro" ->
                    List.of(
                            BucketRule.perRequest("purge-requests", 25, 5, SECOND, shared),
                            BucketRule.perItem("urls", 1500, 1500, SECOND, Set.of(URL)));
            case "business" ->
                    List.of(
                            BucketRule.perRequest("purge-requests", 50, 10, SECOND, shared),
                            BucketRule.perItem("urls", 1500, 1500, SECOND, Set.of(URL)));
            case "enterprise" ->
                    List.of(
                            BucketRule.perRequest("purge-requests", 500, 50, SECOND, shared),
                            BucketRule.perItem("urls", 3000, 3000, SECOND, Set.of(URL)));
            default ->
                    throw new IllegalArgumentException(
                            "unknown Cloudflare plan '"
                                    + plan
                                    + "' (free, pro, business, enterprise)");
        };
    }
}
