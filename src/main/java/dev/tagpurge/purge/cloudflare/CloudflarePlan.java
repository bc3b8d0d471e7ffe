package dev.tagpurge.purge.cloudflare;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Cloudflare plans and their documented items per purge request (as Cloudflare documents them). The
 * plans' rate buckets are the rate limiter's concern ({@code
 * dev.tagpurge.ratelimit.ProviderRateLimits}), not the adapter's.
 */
public enum CloudflarePlan {
    FREE(100, 100),
    PRO(100, 100),
    BUSINESS(100, 100),
    ENTERPRISE(100, 500);

    private final int itemsPerRequest;
    private final int urlsPerRequest;

    CloudflarePlan(int itemsPerRequest, int urlsPerRequest) {
        this.itemsPerRequest = itemsPerRequest;
        this.urlsPerRequest = urlsPerRequest;
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

    /**
     * Parses {@code free}, {@code pro}, {@code business} or {@code enterprise}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CloudflarePlan parse(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(plan -> plan.label().equals(wanted))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "must be one of "
                                                + Arrays.stream(values())
                                                        .map(CloudflarePlan::label)
                                                        .collect(Collectors.joining(", "))
                                                + ", was "
                                                + value));
    }
}
