package dev.tagpurge.purge.fastly;

import dev.tagpurge.testing.TestTargetConfig;

/** Fastly target configurations for tests without Quarkus. */
final class StubTargetConfig {

    private StubTargetConfig() {}

    /** A Fastly target; null leaves a key unset. */
    static TestTargetConfig fastly(String baseUrl, String serviceId, String token) {
        return TestTargetConfig.of("fastly")
                .with("base-url", baseUrl)
                .with("service-id", serviceId)
                .with("api-token", token);
    }
}
