package dev.tagpurge.purge.cloudflare;

import static dev.tagpurge.purge.TargetKeys.key;
import static dev.tagpurge.purge.TargetKeys.required;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.TargetKeys;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated settings of one Cloudflare target.
 *
 * <p>{@code plan} defaults to {@link CloudflarePlan#FREE}: its limits are the smallest, so an
 * unconfigured plan can only make requests smaller than the account allows, never get them refused.
 * An Enterprise zone should say {@code plan=enterprise} to send 500 URLs per request.
 *
 * @param target the configured target name
 * @param baseUrl the API root without a trailing slash, e.g. {@value #DEFAULT_BASE_URL}
 * @param zoneId the zone's 32-character hex id
 * @param apiToken the bearer token; never printed (see {@link #toString()})
 * @param defaultHost host that completes path-only URLs and prefixes: the first entry of {@code
 *     hosts}
 * @param plan the zone's plan, which sets the default per-request limits
 * @param maxTags tags per request: the plan's limit, or {@code batch-size} if smaller
 * @param maxUrls URLs per request: the plan's limit, or {@code batch-size} if smaller
 * @param maxPrefixes prefixes per request: the plan's limit, or {@code batch-size} if smaller
 */
public record CloudflareSettings(
        String target,
        String baseUrl,
        String zoneId,
        String apiToken,
        Optional<String> defaultHost,
        CloudflarePlan plan,
        int maxTags,
        int maxUrls,
        int maxPrefixes) {

    /** Cloudflare's real API root, used when {@code base-url} is not configured. */
    public static final String DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

    /** The plan assumed when {@code plan} is not configured: the most restrictive one. */
    public static final CloudflarePlan DEFAULT_PLAN = CloudflarePlan.FREE;

    // A zone id is 32 hex characters; checking catches a zone name pasted in its place and keeps
    // the value from changing the request path.
    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-fA-F]{32}");

    /**
     * Reads and validates a target's configuration; a missing or invalid key fails with the key's
     * full name.
     */
    public static CloudflareSettings from(
            String name, TargetConfig config, CloudflareTargets.Keys keys) {
        String zoneId = required("cloudflare", name, "zone-id", keys.zoneId());
        if (!ZONE_ID.matcher(zoneId).matches()) {
            throw new IllegalArgumentException(
                    key(name, "zone-id")
                            + " must be the zone's 32-character hex id (not its domain name), was "
                            + zoneId);
        }
        String token = required("cloudflare", name, "api-token", keys.apiToken());
        String baseUrl = TargetKeys.baseUrl(name, config.baseUrl().orElse(DEFAULT_BASE_URL));
        CloudflarePlan plan = keys.plan().orElse(DEFAULT_PLAN);
        int largest = Math.max(plan.itemsPerRequest(), plan.urlsPerRequest());
        int batchSize = config.batchSize().orElse(largest);
        if (batchSize < 1 || batchSize > largest) {
            throw new IllegalArgumentException(
                    key(name, "batch-size")
                            + " must be between 1 and "
                            + largest
                            + " on the "
                            + plan.label()
                            + " plan, was "
                            + batchSize);
        }
        int items = Math.min(batchSize, plan.itemsPerRequest());
        return new CloudflareSettings(
                name,
                baseUrl,
                zoneId,
                token,
                config.hosts().flatMap(TargetKeys::firstHost),
                plan,
                items,
                Math.min(batchSize, plan.urlsPerRequest()),
                items);
    }

    /** Redacts the token so that logging a settings object can never leak it. */
    @Override
    public String toString() {
        return "CloudflareSettings[target="
                + target
                + ", baseUrl="
                + baseUrl
                + ", zoneId="
                + zoneId
                + ", apiToken=***, defaultHost="
                + defaultHost
                + ", plan="
                + plan.label()
                + ", maxTags="
                + maxTags
                + ", maxUrls="
                + maxUrls
                + ", maxPrefixes="
                + maxPrefixes
                + "]";
    }
}
