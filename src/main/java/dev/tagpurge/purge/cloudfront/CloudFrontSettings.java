package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.TargetKeys;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated settings of one CloudFront target.
 *
 * @param target the configured target name
 * @param distributionId the distribution whose cache is invalidated
 * @param endpoint the SDK endpoint override ({@code base-url}); empty for CloudFront itself
 * @param region the signing region; CloudFront is global and signs in {@code us-east-1}
 * @param maxPathsPerRequest paths (and tags) per invalidation ({@code batch-size}, default {@value
 *     #DEFAULT_PATHS_PER_REQUEST}), never above {@code maxPathsInProgress}
 * @param maxPathsInProgress paths and tags this target keeps in progress at once ({@code
 *     max-paths-in-progress}, default {@value #PATHS_IN_PROGRESS})
 * @param maxWildcardsInProgress wildcard paths this target keeps in progress at once ({@code
 *     max-wildcards-in-progress}, default {@value #WILDCARDS_IN_PROGRESS})
 * @param pollInterval the wait between two GetInvalidation calls ({@code poll-interval}, default
 *     5s)
 * @param completionTimeout how long an invalidation may stay InProgress before the purge is given
 *     up as retryable ({@code completion-timeout}, default 15m)
 * @param wildcardCollapseThreshold paths of one invalidation in one directory above which they are
 *     sent as the directory's wildcard ({@code wildcard-collapse-threshold}); 0, the default, never
 *     collapses
 * @param monthlyBudgetUsd the month's cost estimate this distribution should stay under ({@code
 *     monthly-budget-usd}), for the budget gauge and alert; empty by default
 */
public record CloudFrontSettings(
        String target,
        String distributionId,
        Optional<URI> endpoint,
        String region,
        int maxPathsPerRequest,
        int maxPathsInProgress,
        int maxWildcardsInProgress,
        Duration pollInterval,
        Duration completionTimeout,
        int wildcardCollapseThreshold,
        Optional<Double> monthlyBudgetUsd) {

    /** Paths per invalidation unless {@code batch-size} says otherwise. */
    public static final int DEFAULT_PATHS_PER_REQUEST = 1000;

    /**
     * CloudFront's limit of paths and tags in progress per distribution, the default of {@code
     * max-paths-in-progress} ({@link CloudFrontTargets}).
     */
    public static final int PATHS_IN_PROGRESS = 3000;

    /**
     * CloudFront's limit of wildcard paths in progress per distribution, the default of {@code
     * max-wildcards-in-progress}.
     */
    public static final int WILDCARDS_IN_PROGRESS = 15;

    // Distribution ids are upper-case alphanumeric; checking keeps a typo out of the API path.
    private static final Pattern DISTRIBUTION_ID = Pattern.compile("[A-Za-z0-9]+");

    public CloudFrontSettings {
        if (maxPathsPerRequest < 1 || maxPathsPerRequest > maxPathsInProgress) {
            throw new IllegalArgumentException(
                    "paths per request must be between 1 and " + maxPathsInProgress);
        }
        if (maxWildcardsInProgress < 1) {
            throw new IllegalArgumentException("wildcards in progress must be at least 1");
        }
        if (!pollInterval.isPositive() || !completionTimeout.isPositive()) {
            throw new IllegalArgumentException("poll interval and completion timeout must be > 0");
        }
        if (wildcardCollapseThreshold < 0) {
            throw new IllegalArgumentException("wildcard collapse threshold must be >= 0");
        }
        if (monthlyBudgetUsd.filter(b -> !(b >= 0) || b.isInfinite()).isPresent()) {
            throw new IllegalArgumentException("monthly budget must be a finite amount >= 0");
        }
    }

    /** Settings without wildcard collapse or budget. */
    public CloudFrontSettings(
            String target,
            String distributionId,
            Optional<URI> endpoint,
            String region,
            int maxPathsPerRequest,
            int maxPathsInProgress,
            int maxWildcardsInProgress,
            Duration pollInterval,
            Duration completionTimeout) {
        this(
                target,
                distributionId,
                endpoint,
                region,
                maxPathsPerRequest,
                maxPathsInProgress,
                maxWildcardsInProgress,
                pollInterval,
                completionTimeout,
                0,
                Optional.empty());
    }

    /** Whether paths of one invalidation may be collapsed into a directory wildcard. */
    public boolean collapsesWildcards() {
        return wildcardCollapseThreshold > 0;
    }

    /**
     * Reads and validates a target's configuration; a missing or invalid key fails with the key's
     * full name.
     */
    public static CloudFrontSettings from(
            String name, TargetConfig config, CloudFrontTargets.Keys keys) {
        String distributionId =
                keys.distributionId()
                        .map(String::strip)
                        .filter(v -> !v.isEmpty())
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                key(name, "distribution-id")
                                                        + " is required for a cloudfront target"));
        if (!DISTRIBUTION_ID.matcher(distributionId).matches()) {
            throw new IllegalArgumentException(
                    key(name, "distribution-id") + " must be alphanumeric, was " + distributionId);
        }
        String region = keys.region().strip();
        if (region.isEmpty()) {
            throw new IllegalArgumentException(key(name, "region") + " must not be empty");
        }
        int pathsInProgress = atLeastOne(name, "max-paths-in-progress", keys.maxPathsInProgress());
        int wildcardsInProgress =
                atLeastOne(name, "max-wildcards-in-progress", keys.maxWildcardsInProgress());
        int batchSize = config.batchSize().orElse(DEFAULT_PATHS_PER_REQUEST);
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    key(name, "batch-size") + " must be at least 1, was " + batchSize);
        }
        return new CloudFrontSettings(
                name,
                distributionId,
                config.baseUrl().map(url -> endpoint(name, url)),
                region,
                Math.min(batchSize, pathsInProgress),
                pathsInProgress,
                wildcardsInProgress,
                positive(name, "poll-interval", keys.pollInterval()),
                positive(name, "completion-timeout", keys.completionTimeout()),
                keys.wildcardCollapseThreshold()
                        .map(t -> atLeastOne(name, "wildcard-collapse-threshold", t))
                        .orElse(0),
                keys.monthlyBudgetUsd().map(b -> budget(name, b)));
    }

    private static double budget(String name, double usd) {
        if (!(usd >= 0) || Double.isInfinite(usd)) {
            throw new IllegalArgumentException(
                    key(name, "monthly-budget-usd") + " must be an amount >= 0, was " + usd);
        }
        return usd;
    }

    /** Prefixes per invalidation: each is a wildcard path, so never above the wildcard budget. */
    public int maxPrefixesPerRequest() {
        return Math.min(maxPathsPerRequest, maxWildcardsInProgress);
    }

    /**
     * Whether the endpoint is this machine (the CDN sandbox or moto), where dummy credentials are
     * acceptable.
     */
    public boolean loopbackEndpoint() {
        return endpoint.map(URI::getHost)
                .map(h -> h.toLowerCase(Locale.ROOT))
                .map(h -> h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]"))
                .orElse(false);
    }

    private static URI endpoint(String name, String raw) {
        String url = raw.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    key(name, "base-url") + " must be an http(s) URL, was " + raw, e);
        }
    }

    private static int atLeastOne(String name, String property, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(
                    key(name, property) + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration positive(String name, String property, Duration value) {
        if (!value.isPositive()) {
            throw new IllegalArgumentException(
                    key(name, property) + " must be a positive duration, was " + value);
        }
        return value;
    }

    private static String key(String name, String property) {
        return TargetKeys.key(name, property);
    }
}
