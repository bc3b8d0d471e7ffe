package dev.tagpurge.testing;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One target's configuration for tests without Quarkus, set with the same key names as {@code
 * tagpurge.targets.<name>.*}: {@code TestTargetConfig.of("fastly").with("service-id", "S")}. The
 * values go through SmallRye Config and the real mappings, so defaults, enum and duration
 * conversion are those of the service: {@link TargetConfig} for the common keys, {@link
 * #keys(Class, Function)} for a provider's own.
 */
public final class TestTargetConfig implements TargetConfig {

    /** The target name unless {@link #named} says otherwise. */
    public static final String NAME = "target";

    private final String name;
    private final Map<String, String> values;

    private TestTargetConfig(String name, Map<String, String> values) {
        this.name = name;
        this.values = Map.copyOf(values);
    }

    public static TestTargetConfig of(String provider) {
        return new TestTargetConfig(NAME, Map.of("provider", provider));
    }

    /** A copy with {@code key} set; lists are comma-separated. A null value unsets the key. */
    public TestTargetConfig with(String key, Object value) {
        Map<String, String> copy = new HashMap<>(values);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, String.valueOf(value));
        }
        return new TestTargetConfig(name, copy);
    }

    /** A copy whose keys are set under target {@code target}. */
    public TestTargetConfig named(String target) {
        return new TestTargetConfig(target, values);
    }

    /** The target's name. */
    public String name() {
        return name;
    }

    /** The whole mapping {@code type} over this target's keys, as the service reads it. */
    public <M> M mapping(Class<M> type) {
        Map<String, String> properties = new HashMap<>();
        values.forEach(
                (key, value) -> properties.put("tagpurge.targets." + name + "." + key, value));
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .withSources(new PropertiesConfigSource(properties, "test", 100))
                        .withConverter(Duration.class, 200, new DurationConverter())
                        .withMapping(type)
                        // as in Quarkus: the keys of the other mappings are not unknown
                        .withValidateUnknown(false)
                        .build();
        return config.getConfigMapping(type);
    }

    /**
     * This target's own keys of a provider: {@code keys(FastlyTargets.class,
     * FastlyTargets::targets)}.
     */
    public <M, K> K keys(Class<M> mapping, Function<M, Map<String, K>> targets) {
        return targets.apply(mapping(mapping)).get(name);
    }

    private TargetConfig common() {
        return mapping(TagpurgeConfig.class).targets().get(name);
    }

    @Override
    public String provider() {
        return common().provider();
    }

    @Override
    public boolean enabled() {
        return common().enabled();
    }

    @Override
    public Optional<String> baseUrl() {
        return common().baseUrl();
    }

    @Override
    public boolean sandbox() {
        return common().sandbox();
    }

    @Override
    public Optional<Integer> batchSize() {
        return common().batchSize();
    }

    @Override
    public Optional<Integer> maxInFlight() {
        return common().maxInFlight();
    }

    @Override
    public Optional<Integer> layer() {
        return common().layer();
    }

    @Override
    public Duration layerDelay() {
        return common().layerDelay();
    }

    @Override
    public Optional<Duration> repurgeAfter() {
        return common().repurgeAfter();
    }

    @Override
    public int repurgeMaxPending() {
        return common().repurgeMaxPending();
    }

    @Override
    public Map<String, BucketOverride> rateLimits() {
        return common().rateLimits();
    }

    @Override
    public Optional<List<String>> tagPrefixes() {
        return common().tagPrefixes();
    }

    @Override
    public Optional<List<String>> hosts() {
        return common().hosts();
    }
}
