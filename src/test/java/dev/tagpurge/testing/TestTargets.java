package dev.tagpurge.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The targets a test creates purgers for, by name, as one provider mapping over all of them: a
 * factory built once for a test class reads each target's own keys from here, as the service's
 * factories read them from their {@code @ConfigMapping}.
 */
public final class TestTargets {

    private final Map<String, TestTargetConfig> byName = new ConcurrentHashMap<>();

    /** Records {@code config} as target {@code name}'s configuration and returns it. */
    public TestTargetConfig put(String name, TestTargetConfig config) {
        TestTargetConfig named = config.named(name);
        byName.put(name, named);
        return named;
    }

    /**
     * Every recorded target's own keys of a provider: {@code keys(FastlyTargets.class,
     * FastlyTargets::targets)}.
     */
    public <M, K> Map<String, K> keys(Class<M> mapping, Function<M, Map<String, K>> targets) {
        Map<String, K> keys = new HashMap<>();
        byName.forEach((name, config) -> keys.put(name, config.keys(mapping, targets)));
        return keys;
    }
}
