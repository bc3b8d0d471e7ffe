package dev.tagpurge.purge.fastly;

import static dev.tagpurge.purge.TargetKeys.key;
import static dev.tagpurge.purge.TargetKeys.required;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.TargetKeys;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated settings of one Fastly target.
 *
 * @param target the configured target name
 * @param baseUrl the API root without a trailing slash, e.g. {@code https://api.fastly.com}
 * @param serviceId the Fastly service id
 * @param apiToken the {@code Fastly-Key}; never printed (see {@link #toString()})
 * @param defaultHost host that completes path-only URLs: the first entry of {@code hosts}
 * @param maxKeys surrogate keys per bulk request, at most {@value #MAX_KEYS_PER_REQUEST}
 */
public record FastlySettings(
        String target,
        String baseUrl,
        String serviceId,
        String apiToken,
        Optional<String> defaultHost,
        int maxKeys) {

    /** Fastly's real API root, used when {@code base-url} is not configured. */
    public static final String DEFAULT_BASE_URL = "https://api.fastly.com";

    /** Fastly's documented limit of keys in one bulk purge. */
    public static final int MAX_KEYS_PER_REQUEST = 256;

    // Service ids are alphanumeric; checking keeps a typo from becoming a path traversal in the
    // URL.
    private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * Reads and validates a target's configuration; a missing or invalid key fails with the key's
     * full name.
     */
    public static FastlySettings from(String name, TargetConfig config, FastlyTargets.Keys keys) {
        String serviceId = required("fastly", name, "service-id", keys.serviceId());
        if (!SERVICE_ID.matcher(serviceId).matches()) {
            throw new IllegalArgumentException(
                    key(name, "service-id") + " must be alphanumeric, was " + serviceId);
        }
        String token = required("fastly", name, "api-token", keys.apiToken());
        String baseUrl = TargetKeys.baseUrl(name, config.baseUrl().orElse(DEFAULT_BASE_URL));
        int batchSize = config.batchSize().orElse(MAX_KEYS_PER_REQUEST);
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    key(name, "batch-size") + " must be at least 1, was " + batchSize);
        }
        Optional<String> host = config.hosts().flatMap(TargetKeys::firstHost);
        return new FastlySettings(
                name, baseUrl, serviceId, token, host, Math.min(batchSize, MAX_KEYS_PER_REQUEST));
    }

    /** Redacts the token so that logging a settings object can never leak it. */
    @Override
    public String toString() {
        return "FastlySettings[target="
                + target
                + ", baseUrl="
                + baseUrl
                + ", serviceId="
                + serviceId
                + ", apiToken=***, defaultHost="
                + defaultHost
                + ", maxKeys="
                + maxKeys
                + "]";
    }
}
