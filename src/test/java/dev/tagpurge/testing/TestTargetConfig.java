package dev.tagpurge.testing;

import dev.tagpurge.config.TargetConfig;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TargetConfig} for tests without Quarkus, set with the same key names as {@code
 * tagpurge.targets.<name>.*}: {@code TestTargetConfig.of("fastly").with("service-id", "S")}. Unset
 * keys take the defaults the real mapping declares.
 */
public final class TestTargetConfig implements TargetConfig {

    private final Map<String, String> values;

    private TestTargetConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static TestTargetConfig of(String provider) {
        return new TestTargetConfig(Map.of("provider", provider));
    }

    /** A copy with {@code key} set; lists are comma-separated. A null value unsets the key. */
    public TestTargetConfig with(String key, Object value) {
        Map<String, String> copy = new HashMap<>(values);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, String.valueOf(value));
        }
        return new TestTargetConfig(copy);
    }

    private Optional<String> text(String key) {
        return Optional.ofNullable(values.get(key));
    }

    private Optional<List<String>> list(String key) {
        return text(key).map(v -> Arrays.stream(v.split(",")).map(String::strip).toList());
    }

    @Override
    public String provider() {
        return values.get("provider");
    }

    @Override
    public boolean enabled() {
        return Boolean.parseBoolean(text("enabled").orElse("true"));
    }

    @Override
    public Optional<String> baseUrl() {
        return text("base-url");
    }

    @Override
    public boolean sandbox() {
        return Boolean.parseBoolean(text("sandbox").orElse("false"));
    }

    @Override
    public Optional<String> apiToken() {
        return text("api-token");
    }

    @Override
    public Optional<String> serviceId() {
        return text("service-id");
    }

    @Override
    public String namespace() {
        return text("namespace").orElse("tagpurge:");
    }

    @Override
    public Optional<String> client() {
        return text("client");
    }

    @Override
    public Optional<Integer> batchSize() {
        return text("batch-size").map(Integer::parseInt);
    }

    @Override
    public Optional<Integer> maxInFlight() {
        return text("max-in-flight").map(Integer::parseInt);
    }

    @Override
    public Optional<String> zoneId() {
        return text("zone-id");
    }

    @Override
    public Optional<String> plan() {
        return text("plan");
    }

    @Override
    public Optional<String> distributionId() {
        return text("distribution-id");
    }

    @Override
    public String region() {
        return text("region").orElse("us-east-1");
    }

    @Override
    public Optional<java.time.Duration> pollInterval() {
        return text("poll-interval").map(java.time.Duration::parse);
    }

    @Override
    public Optional<java.time.Duration> completionTimeout() {
        return text("completion-timeout").map(java.time.Duration::parse);
    }

    @Override
    public Optional<Integer> maxPathsInProgress() {
        return text("max-paths-in-progress").map(Integer::parseInt);
    }

    @Override
    public Optional<Integer> maxWildcardsInProgress() {
        return text("max-wildcards-in-progress").map(Integer::parseInt);
    }

    @Override
    public Optional<String> clientToken() {
        return text("client-token");
    }

    @Override
    public Optional<String> clientSecret() {
        return text("client-secret");
    }

    @Override
    public Optional<String> accessToken() {
        return text("access-token");
    }

    @Override
    public String network() {
        return text("network").orElse("production");
    }

    @Override
    public Optional<List<String>> cpCodes() {
        return list("cp-codes");
    }

    @Override
    public Map<String, BucketOverride> rateLimits() {
        return Map.of();
    }

    @Override
    public Optional<List<String>> tagPrefixes() {
        return list("tag-prefixes");
    }

    @Override
    public Optional<List<String>> hosts() {
        return list("hosts");
    }
}
